import type { SignInThrottleConfig } from "@/lib/auth/config";

/**
 * The rules of sign-in lock-outs (lib/auth/sign-in-throttle.ts) and the in-memory count of failures; the count
 * kept in the store for several instances (lib/auth/store/sign-in-failures.ts) follows the same rules.
 */

const MAX_KEYS = 50_000;
const SWEEP_INTERVAL_MS = 60_000;

type Entry = { failures: number; lockedUntil: number; lastFailure: number };

/** The lock a key's `failures`-th failure sets: none for the free ones, then 1 s, 2 s, 4 s … up to `maxLockSeconds`. */
export function lockSeconds(failures: number, free: number, maxLockSeconds: number): number {
  const beyond = failures - free;
  return beyond > 0 ? Math.min(2 ** Math.min(beyond - 1, 30), maxLockSeconds) : 0;
}

/** Seconds after its last failure a key is forgotten: the longest lock plus a quarter of an hour. */
export const forgetFailuresAfterSeconds = (maxLockSeconds: number) => maxLockSeconds + 15 * 60;

/**
 * The failure counts and locks: in this process's memory (`SignInThrottle`), or in the store when several
 * instances share it (lib/auth/store/sign-in-failures.ts), so a guesser gains nothing by spreading over instances.
 */
export interface SignInFailures {
  /** Whole seconds until neither the user name nor the client is locked; 0 when a sign-in may go ahead now. */
  retryAfterSeconds(user: string, client: string): number | Promise<number>;
  /** Counts a failure; answers for how many seconds it locks the user name or the client (0: not locked). */
  recordFailure(user: string, client: string): number | Promise<number>;
  recordSuccess(user: string, client: string): void | Promise<void>;
}

export type ThrottleConfig = Pick<SignInThrottleConfig, "freeFailuresPerUser" | "freeFailuresPerClient" | "maxLockSeconds">;

/** The keys a sign-in is counted under, each with its free failures. */
export function throttleKeys(config: ThrottleConfig, user: string, client: string) {
  return [
    { key: `user:${user}`, free: config.freeFailuresPerUser },
    { key: `client:${client}`, free: config.freeFailuresPerClient },
  ];
}

/** The count in this process's memory: exact for one process, which is what the embedded store serves. */
export class SignInThrottle implements SignInFailures {
  private readonly entries = new Map<string, Entry>();
  private lastSweep = 0;

  constructor(
    private readonly config: ThrottleConfig,
    private readonly now: () => number = () => Date.now(),
  ) {}

  retryAfterSeconds(user: string, client: string): number {
    const now = this.now();
    let until = now;
    for (const { key } of throttleKeys(this.config, user, client)) until = Math.max(until, this.entries.get(key)?.lockedUntil ?? now);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  recordFailure(user: string, client: string): number {
    const now = this.now();
    this.sweep(now);
    let locked = 0;
    for (const { key, free } of throttleKeys(this.config, user, client)) {
      const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: now, lastFailure: now };
      entry.failures += 1;
      entry.lastFailure = now;
      const seconds = lockSeconds(entry.failures, free, this.config.maxLockSeconds);
      if (seconds > 0) {
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
    for (const { key } of throttleKeys(this.config, user, client)) this.entries.delete(key);
  }

  /** Forgets keys whose last failure is older than `forgetFailuresAfterSeconds`. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    const forgetAfter = forgetFailuresAfterSeconds(this.config.maxLockSeconds) * 1000;
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailure <= forgetAfter) break; // ordered by last failure
      this.entries.delete(key);
    }
  }
}
