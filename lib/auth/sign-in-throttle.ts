import "server-only";
import pLimit, { type LimitFunction } from "p-limit";
import type { SignInThrottleConfig } from "@/lib/auth/config";
import { storeIsShared } from "@/lib/db/config";
import { StoredSignInFailures } from "@/lib/auth/store/sign-in-failures";
import { type SignInFailures, SignInThrottle } from "@/lib/auth/sign-in-locks";

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

const QUEUE_PER_SLOT = 8;

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
type Holder = { [STATE]?: { key: string; throttle: SignInFailures; gate: PasswordCheckGate } };

/**
 * The process's guards. Failures are counted in the store when it is PostgreSQL (shared by every instance), in
 * memory with the embedded one (one process); the password-check gate guards this process's CPU, so it is
 * always this process's own.
 */
export function signInGuards(config: SignInThrottleConfig): { throttle: SignInFailures; gate: PasswordCheckGate } {
  const holder = globalThis as Holder;
  const key = JSON.stringify(config);
  if (holder[STATE]?.key !== key) {
    const throttle = storeIsShared() ? new StoredSignInFailures(config) : new SignInThrottle(config);
    holder[STATE] = { key, throttle, gate: new PasswordCheckGate(config.concurrency) };
  }
  return holder[STATE];
}
