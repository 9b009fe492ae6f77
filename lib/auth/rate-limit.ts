export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A per-key limit of `rps` requests per second with bursts of `burst`: in this process's memory
 * (`TokenBuckets`) with the embedded store, in the store itself when several instances share a PostgreSQL
 * server (lib/auth/store/rate-limits.ts).
 */
export interface RateLimiter {
  take(key: string): RateLimitDecision | Promise<RateLimitDecision>;
}

/**
 * A token bucket per key, in memory: each key may make `burst` requests at once and `rps` per second after
 * that. Twenty lines instead of a dependency because the whole need is one process, one limit, and an exact
 * `Retry-After`.
 */
type Bucket = { tokens: number; at: number };

export class TokenBuckets implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(
    private readonly rps: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): RateLimitDecision {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rps);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.rps)) };
  }

  /** Forgets buckets that have refilled, so idle clients cost no memory. */
  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const full = (this.burst / this.rps) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= full) this.buckets.delete(key);
  }
}
