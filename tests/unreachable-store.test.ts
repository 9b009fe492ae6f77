import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * With the PostgreSQL store unreachable (a real connection to a port nobody listens on), the limits that
 * several instances share through it fall back to this process's own counts instead of failing requests or
 * letting them all through, and the health check says the instance cannot serve.
 */

beforeAll(() => {
  vi.stubEnv("DATABASE_URL", "postgres://clue@127.0.0.1:1/unreachable");
  vi.stubEnv("CLUE_DESK_SECRET", "test-secret-for-an-unreachable-store-0123");
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("an unreachable PostgreSQL store", () => {
  it("fails the health check with 503", async () => {
    const { GET } = await import("@/app/api/health/route");
    const health = await GET(new Request("http://localhost/api/health"), undefined);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "unavailable", error: "the lead store cannot be reached" });
  });

  it("leaves the API limit to this process's own count, and says so once", async () => {
    const { StoredRateLimits } = await import("@/lib/auth/store/rate-limits");
    const limits = new StoredRateLimits(1, 2);
    const errors = vi.mocked(console.error).mock.calls.length;
    expect(await limits.take("user:eve")).toEqual({ ok: true });
    expect(await limits.take("user:eve")).toEqual({ ok: true });
    expect(await limits.take("user:eve")).toEqual({ ok: false, retryAfterSeconds: 1 });
    const logged = vi.mocked(console.error).mock.calls.slice(errors).map(([line]) => String(line));
    expect(logged.filter((line) => line.includes("api_rate_limit_unshared"))).toHaveLength(1);
  });

  it("still locks a guessed name, in this process", async () => {
    const { StoredSignInFailures } = await import("@/lib/auth/store/sign-in-failures");
    const failures = new StoredSignInFailures({ freeFailuresPerUser: 1, freeFailuresPerClient: 100, maxLockSeconds: 8 });
    expect(await failures.recordFailure("mallory", "10.0.0.1")).toBe(0);
    expect(await failures.recordFailure("mallory", "10.0.0.1")).toBe(1);
    expect(await failures.retryAfterSeconds("mallory", "10.0.0.2")).toBe(1);
  });

  it("paces Tanma calls on this process's own schedule", async () => {
    const { SharedStartSlots } = await import("@/lib/tanma/upstream-quota");
    const slots = new SharedStartSlots(2, 1000, "unreachable");
    const waits = [await slots.reserve(), await slots.reserve(), await slots.reserve()];
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    // The third start waits for the window (1 s after the first), as a single instance's limiter would.
    expect(waits[2]).toBeGreaterThan(900);
  });
});
