import { describe, expect, it } from "vitest";
import { StoredRateLimits } from "@/lib/auth/store/rate-limits";
import { StoredSignInFailures } from "@/lib/auth/store/sign-in-failures";
import { SharedStartSlots } from "@/lib/tanma/upstream-quota";
import { FairLimiter } from "@/lib/tanma/fair-limiter";

/**
 * The limits several instances share through the store. Each "instance" here is its own object, holding
 * nothing but what the store holds, as two processes would; the store is the run's engine (PGlite, or
 * PostgreSQL under `npm run test:pg`).
 */

/** Most starts in any `windowMs` span of `times`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(...sorted.map((t) => sorted.filter((u) => u >= t && u < t + windowMs).length));
}

describe("shared limits", () => {
  it("two instances' limiters together start at most the budget in any window, spaced while it is full", async () => {
    const instances = [new FairLimiter(new SharedStartSlots(5, 1000, "test-budget")), new FairLimiter(new SharedStartSlots(5, 1000, "test-budget"))];
    const starts: { instance: number; at: number }[] = [];
    const t0 = performance.now();
    await Promise.all(
      instances.flatMap((limiter, instance) =>
        Array.from({ length: 12 }, (_, i) => limiter.run(`user${i % 3}`, async () => void starts.push({ instance, at: performance.now() - t0 }))),
      ),
    );
    expect(starts).toHaveLength(24);
    // Both instances got their share, interleaved rather than one after the other.
    expect(starts.slice(0, 12).filter((s) => s.instance === 0).length).toBeGreaterThanOrEqual(4);
    // The database's schedule is exact; what this process sees of it can be a few milliseconds off.
    expect(busiestWindow(starts.map((s) => s.at), 1000 - 30)).toBeLessThanOrEqual(5);
    // Five at once, the sixth when the window has passed (1 s), then one every 200 ms: the last 1 s + 18 × 200 ms
    // after the first.
    const at = starts.map((s) => s.at).sort((a, b) => a - b);
    expect(at.at(-1)! - at[0]!).toBeGreaterThan(4_500);
  });

  it("the API's limit holds for a caller across instances, with the Retry-After that frees it", async () => {
    const [a, b] = [new StoredRateLimits(2, 3), new StoredRateLimits(2, 3)];
    const decisions = [await a.take("user:eve"), await b.take("user:eve"), await a.take("user:eve")];
    expect(decisions).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(await b.take("user:eve")).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another caller is untouched.
    expect(await b.take("user:frank")).toEqual({ ok: true });
    // Once an interval (500 ms at 2 per second) has passed, however long a busy host takes to get there, one more
    // request is allowed, and the next one straight after it is not. (A refused take costs nothing, so asking
    // until one is allowed does not change the count.)
    await expect.poll(async () => (await a.take("user:eve")).ok, { interval: 50, timeout: 5_000 }).toBe(true);
    expect((await b.take("user:eve")).ok).toBe(false);
  });

  it("failed sign-ins counted on one instance lock the name on another, and a success on either clears it", async () => {
    const config = { freeFailuresPerUser: 2, freeFailuresPerClient: 100, maxLockSeconds: 8 };
    const [a, b] = [new StoredSignInFailures(config), new StoredSignInFailures(config)];
    expect(await a.recordFailure("mallory", "10.0.0.1")).toBe(0);
    expect(await b.recordFailure("mallory", "10.0.0.2")).toBe(0);
    expect(await a.retryAfterSeconds("mallory", "10.0.0.3")).toBe(0);
    // The third failure, wherever it lands, locks the name for 1 s, then 2 s: both instances see it.
    expect(await b.recordFailure("mallory", "10.0.0.3")).toBe(1);
    expect(await a.retryAfterSeconds("mallory", "10.0.0.4")).toBe(1);
    expect(await a.recordFailure("mallory", "10.0.0.4")).toBe(2);
    expect(await b.retryAfterSeconds("mallory", "10.0.0.5")).toBe(2);
    // Another name from the same clients is not locked.
    expect(await b.retryAfterSeconds("alice", "10.0.0.1")).toBe(0);
    await b.recordSuccess("mallory", "10.0.0.4");
    expect(await a.retryAfterSeconds("mallory", "10.0.0.9")).toBe(0);
  });
});
