import "server-only";
import { eq, inArray, lt, sql } from "drizzle-orm";
import { forgetFailuresAfterSeconds, lockSeconds, type SignInFailures, SignInThrottle, type ThrottleConfig, throttleKeys } from "@/lib/auth/sign-in-locks";
import { rows, storeDb } from "@/lib/db/connection";
import { LocalFallback } from "@/lib/db/local-fallback";
import { signInFailures } from "@/lib/auth/store/tables";

const SWEEP_INTERVAL_MS = 60_000;
const seconds = (value: number) => sql`now() + ${value} * interval '1 second'`;

/**
 * Failed sign-ins counted in the store, so every instance on one PostgreSQL server sees the same counts and
 * locks: a guesser who spreads over instances is locked as soon as on one. Each failure is one atomic
 * increment per key; the lock it sets follows the same rules as the in-memory count (lib/auth/sign-in-locks.ts),
 * judged by the database's clock. While the store cannot be reached, this process's own count stands in (said
 * once in the log): an outage must not open sign-in to unlimited guessing.
 */
export class StoredSignInFailures implements SignInFailures {
  private lastSweep = 0;
  private readonly local: SignInThrottle;
  private readonly fallback = new LocalFallback("sign_in_failures");

  constructor(private readonly config: ThrottleConfig) {
    this.local = new SignInThrottle(config);
  }

  private keys(user: string, client: string) {
    return throttleKeys(this.config, user, client);
  }

  retryAfterSeconds(user: string, client: string): Promise<number> {
    return this.fallback.run(
      () => this.sharedRetryAfterSeconds(user, client),
      () => this.local.retryAfterSeconds(user, client),
    );
  }

  recordFailure(user: string, client: string): Promise<number> {
    return this.fallback.run(
      () => this.sharedRecordFailure(user, client),
      () => this.local.recordFailure(user, client),
    );
  }

  recordSuccess(user: string, client: string): Promise<void> {
    this.local.recordSuccess(user, client);
    return this.fallback.run(
      () => this.sharedRecordSuccess(user, client),
      () => undefined,
    );
  }

  private async sharedRetryAfterSeconds(user: string, client: string): Promise<number> {
    const db = await storeDb();
    const keys = this.keys(user, client).map((k) => k.key);
    const [row] = await rows<{ seconds: number | null }>(
      db,
      sql`SELECT ceil(extract(epoch FROM max(${signInFailures.lockedUntil}) - now()))::float8 AS seconds
          FROM ${signInFailures} WHERE ${inArray(signInFailures.key, keys)} AND ${signInFailures.lockedUntil} > now()`,
    );
    return Math.max(0, Number(row?.seconds ?? 0));
  }

  private async sharedRecordFailure(user: string, client: string): Promise<number> {
    const db = await storeDb();
    await this.sweep();
    let locked = 0;
    for (const { key, free } of this.keys(user, client)) {
      const [{ failures }] = (await db
        .insert(signInFailures)
        .values({ key, failures: 1, lockedUntil: sql`now()`, lastFailure: sql`now()` })
        .onConflictDoUpdate({ target: signInFailures.key, set: { failures: sql`${signInFailures.failures} + 1`, lastFailure: sql`now()` } })
        .returning({ failures: signInFailures.failures })) as [{ failures: number }];
      const lock = lockSeconds(failures, free, this.config.maxLockSeconds);
      if (lock > 0) {
        await db
          .update(signInFailures)
          .set({ lockedUntil: sql`greatest(${signInFailures.lockedUntil}, ${seconds(lock)})` })
          .where(eq(signInFailures.key, key));
        locked = Math.max(locked, lock);
      }
    }
    return locked;
  }

  private async sharedRecordSuccess(user: string, client: string): Promise<void> {
    const db = await storeDb();
    await db.delete(signInFailures).where(inArray(signInFailures.key, this.keys(user, client).map((k) => k.key)));
  }

  /** Forgets keys whose last failure is long past, once a minute per process. */
  private async sweep(): Promise<void> {
    if (performance.now() - this.lastSweep < SWEEP_INTERVAL_MS && this.lastSweep !== 0) return;
    this.lastSweep = performance.now();
    const db = await storeDb();
    await db.delete(signInFailures).where(lt(signInFailures.lastFailure, seconds(-forgetFailuresAfterSeconds(this.config.maxLockSeconds))));
  }
}
