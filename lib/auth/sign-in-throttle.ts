import "server-only";
import pLimit, { type LimitFunction } from "p-limit";
import type { SignInThrottleConfig } from "@/lib/auth/config";

/**
 * Password sign-ins, guarded two ways.
 *
 * Failures are counted per user name and per client address. The first few of a key cost nothing
 * (`freeFailuresPerUser`; more per client, `freeFailuresPerClient`, since one address can be a whole office
 * behind NAT); each one after that locks the key for twice as long as the one before (1 s, 2 s, 4 s … up to
 * `maxLockSeconds`), and while the user name or the client is locked a sign-in is refused with 429 before any
 * password is looked at, the right one included. A success clears that user's and that client's count; a key
 * with no failure for a while is forgotten, and the table never holds more than `MAX_KEYS`.
 *
 * Checking a password is scrypt, deliberately expensive (~32 MB and tens of ms of a libuv thread each), so at
 * most `concurrency` run at once and at most `QUEUE_PER_SLOT` per slot wait; beyond that a sign-in is refused
 * with 429 rather than queued, so a flood of guesses cannot take the CPU and the thread pool (which also
 * compresses every response) from everyone else.
 */

const MAX_KEYS = 50_000;
const QUEUE_PER_SLOT = 8;
const SWEEP_INTERVAL_MS = 60_000;

type Entry = { failures: number; lockedUntil: number; lastFailure: number };

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private lastSweep = 0;

  constructor(
    private readonly config: Pick<SignInThrottleConfig, "freeFailuresPerUser" | "freeFailuresPerClient" | "maxLockSeconds">,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private keys(user: string, client: string) {
    return [
      { key: `user:${user}`, free: this.config.freeFailuresPerUser },
      { key: `client:${client}`, free: this.config.freeFailuresPerClient },
    ];
  }

  /** Whole seconds until neither the user name nor the client is locked; 0 when a sign-in may go ahead now. */
  retryAfterSeconds(user: string, client: string): number {
    const now = this.now();
    let until = now;
    for (const { key } of this.keys(user, client)) until = Math.max(until, this.entries.get(key)?.lockedUntil ?? now);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  /** Counts a failure; returns for how many seconds it locks the user name or the client (0: not locked). */
  recordFailure(user: string, client: string): number {
    const now = this.now();
    this.sweep(now);
    let locked = 0;
    for (const { key, free } of this.keys(user, client)) {
      const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: now, lastFailure: now };
      entry.failures += 1;
      entry.lastFailure = now;
      const beyond = entry.failures - free;
      if (beyond > 0) {
        const seconds = Math.min(2 ** (beyond - 1), this.config.maxLockSeconds);
        entry.lockedUntil = now + seconds * 1000;
        locked = Math.max(locked, seconds);
      }
      // Re-inserted, so the map's order is least recently failed first: the first to go when it is full.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    while (this.entries.size > MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
    return locked;
  }

  recordSuccess(user: string, client: string): void {
    for (const { key } of this.keys(user, client)) this.entries.delete(key);
  }

  /** Forgets keys whose last failure is older than the longest lock plus a quarter of an hour. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    const forgetAfter = this.config.maxLockSeconds * 1000 + 15 * 60_000;
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailure <= forgetAfter) break; // ordered by last failure
      this.entries.delete(key);
    }
  }
}

/** Runs password checks at most `concurrency` at a time; `full` says a new one would have to be refused. */
export class PasswordCheckGate {
  private readonly limit: LimitFunction;

  constructor(concurrency: number) {
    this.limit = pLimit(concurrency);
  }

  get full(): boolean {
    return this.limit.pendingCount >= this.limit.concurrency * QUEUE_PER_SLOT;
  }

  run<T>(check: () => Promise<T>): Promise<T> {
    return this.limit(check);
  }
}

// One of each per process, also when several route bundles each load this module.
const STATE = Symbol.for("clue-desk.sign-in-throttle");
type Holder = { [STATE]?: { key: string; throttle: SignInThrottle; gate: PasswordCheckGate } };

export function signInGuards(config: SignInThrottleConfig): { throttle: SignInThrottle; gate: PasswordCheckGate } {
  const holder = globalThis as Holder;
  const key = JSON.stringify(config);
  if (holder[STATE]?.key !== key) {
    holder[STATE] = { key, throttle: new SignInThrottle(config), gate: new PasswordCheckGate(config.concurrency) };
  }
  return holder[STATE];
}
