import "server-only";
import { eq, lt, sql } from "drizzle-orm";
import { type RateLimitDecision, type RateLimiter, TokenBuckets } from "@/lib/auth/rate-limit";
import { storeDb, type StoreDb } from "@/lib/db/connection";
import { LocalFallback } from "@/lib/db/local-fallback";
import { apiRateLimits } from "@/lib/auth/store/tables";

const SWEEP_INTERVAL_MS = 60_000;
const ms = (value: number) => sql`${value} * interval '1 millisecond'`;

/**
 * The API's per-caller limit kept in the store, so that it holds for a caller across every instance on one
 * PostgreSQL server. It is the generic cell rate algorithm, the token bucket's equivalent with one time per
 * caller: each request moves the caller's theoretical arrival time (`tat`) on by one interval (1/rps), and is
 * refused when that would put it more than `burst` intervals ahead of now. One statement decides and records,
 * by the database's clock. While the store cannot be reached, this process's own buckets stand in (said once in
 * the log), so an outage neither opens the API to floods nor closes it to everyone.
 */
export class StoredRateLimits implements RateLimiter {
  private readonly intervalMs: number;
  private readonly local: TokenBuckets;
  private readonly fallback = new LocalFallback("api_rate_limit");
  private lastSweep = 0;

  constructor(
    rps: number,
    private readonly burst: number,
  ) {
    this.intervalMs = 1000 / rps;
    this.local = new TokenBuckets(rps, burst);
  }

  take(key: string): Promise<RateLimitDecision> {
    return this.fallback.run(
      () => this.takeShared(key),
      () => this.local.take(key),
    );
  }

  private async takeShared(key: string): Promise<RateLimitDecision> {
    const db = await storeDb();
    this.sweep(db); // not awaited: forgetting idle callers is no part of this request's answer
    const next = sql`greatest(${apiRateLimits.tat}, now()) + ${ms(this.intervalMs)}`;
    const taken = await db
      .insert(apiRateLimits)
      .values({ key, tat: sql`now() + ${ms(this.intervalMs)}` })
      .onConflictDoUpdate({ target: apiRateLimits.key, set: { tat: next }, setWhere: sql`${next} <= now() + ${ms(this.burst * this.intervalMs)}` })
      .returning({ key: apiRateLimits.key });
    if (taken.length > 0) return { ok: true };
    const [row] = await db
      .select({ aheadMs: sql<number>`(extract(epoch FROM ${apiRateLimits.tat} - now()) * 1000)::float8` })
      .from(apiRateLimits)
      .where(eq(apiRateLimits.key, key));
    // Free again once the arrival time is at most burst − 1 intervals ahead.
    const waitMs = Number(row?.aheadMs ?? 0) - (this.burst - 1) * this.intervalMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /**
   * Callers whose arrival time has passed are as good as new: forgotten, once a minute per process. A failed
   * sweep is left to the next one (the store's trouble shows in the decisions themselves).
   */
  private sweep(db: StoreDb): void {
    if (performance.now() - this.lastSweep < SWEEP_INTERVAL_MS && this.lastSweep !== 0) return;
    this.lastSweep = performance.now();
    db.delete(apiRateLimits)
      .where(lt(apiRateLimits.tat, sql`now()`))
      .catch(() => undefined);
  }
}
