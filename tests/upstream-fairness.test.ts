import { afterEach, describe, expect, it, vi } from "vitest";
import { UpstreamBusyError } from "@/lib/tanma/errors";
import { FairLimiter, LocalStartSlots } from "@/lib/tanma/fair-limiter";
import { useRealTenant } from "./support/real-tenant";

/**
 * One process-wide budget for Tanma (TANMA_MAX_RPS), shared fairly: round-robin between callers, and a user's
 * call that would wait longer than TANMA_MAX_WAIT_MS is refused at once with 429 instead of queueing.
 */

describe("the fair limiter", () => {
  afterEach(() => vi.useRealTimers());

  /** A limiter on a fake clock: `advance` moves time and runs what became due. */
  function fakeLimiter(limit: number, windowMs: number) {
    vi.useFakeTimers();
    const limiter = new FairLimiter<string | symbol>(new LocalStartSlots(limit, windowMs, () => Date.now()));
    const started: { caller: string | symbol; at: number }[] = [];
    const run = (caller: string | symbol, maxWaitMs?: number) =>
      limiter.run(caller, async () => void started.push({ caller, at: Date.now() }), maxWaitMs);
    return { limiter, started, run, advance: (ms: number) => vi.advanceTimersByTimeAsync(ms) };
  }

  it("never starts more than `limit` calls in any rolling window", async () => {
    const { started, run, advance } = fakeLimiter(5, 1000);
    const all = Array.from({ length: 23 }, (_, i) => run(`u${i % 3}`));
    await advance(10_000);
    await Promise.all(all);
    expect(started).toHaveLength(23);
    for (const { at } of started) expect(started.filter((s) => s.at >= at && s.at < at + 1000).length).toBeLessThanOrEqual(5);
  });

  it("spaces starts evenly while the window is full, so slots do not come back in bursts", async () => {
    const { started, run, advance } = fakeLimiter(5, 1000);
    const t0 = Date.now();
    const all = Array.from({ length: 20 }, () => run("busy"));
    await advance(10_000);
    await Promise.all(all);
    const at = started.map((s) => s.at - t0);
    // The first five at once (the window was empty), then one every 200 ms.
    expect(at.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(at.slice(5)).toEqual(Array.from({ length: 15 }, (_, i) => 1000 + i * 200));
  });

  it("serves a newcomer within a round, however long another caller's queue", async () => {
    const { started, run, advance } = fakeLimiter(5, 1000);
    const t0 = Date.now();
    const flood = Array.from({ length: 50 }, () => run("flooder"));
    await advance(300);
    const newcomer = run("newcomer");
    await advance(2_000);
    await newcomer;
    const at = started.find((s) => s.caller === "newcomer")!.at - t0;
    // It started with the next free slot, not after the 45 calls still queued ahead of it.
    // The first slot after the initial burst (1 s), then one turn of the flooder's (200 ms).
    expect(at).toBeLessThanOrEqual(1_200);
    await advance(20_000);
    await Promise.all(flood);
    expect(started.filter((s) => s.caller === "flooder" && s.at - t0 > at).length).toBeGreaterThan(40);
  });

  it("gives spare work only slots no caller waits for, while half the window is free, and never counts it in a caller's wait", async () => {
    const { limiter, started, run, advance } = fakeLimiter(5, 1000);
    const spare = Array.from({ length: 10 }, () => limiter.runSpare(async () => void started.push({ caller: "spare", at: Date.now() })));
    await advance(300);
    // Three spare calls took the empty window, leaving two starts: the user's calls arriving now go before the rest.
    expect(started.map((s) => s.caller)).toEqual(["spare", "spare", "spare"]);
    expect(limiter.estimateWaitMs("user")).toBe(0);
    const user = Array.from({ length: 5 }, () => run("user"));
    await advance(20_000);
    await Promise.all([...spare, ...user]);
    expect(started.map((s) => s.caller)).toEqual([...Array(3).fill("spare"), ...Array(5).fill("user"), ...Array(7).fill("spare")]);
    // A spare start never leaves fewer than two of the window's five starts free.
    for (const { at } of started.filter((s) => s.caller === "spare")) {
      expect(started.filter((s) => s.at > at - 1000 && s.at <= at).length).toBeLessThanOrEqual(3);
    }
  });

  it("refuses a caller whose estimated wait is too long, says when to retry, and still admits others", async () => {
    const { limiter, started, run, advance } = fakeLimiter(5, 1000);
    const refusals: unknown[] = [];
    const calls = Array.from({ length: 40 }, () => run("flooder", 3000).catch((error: unknown) => void refusals.push(error)));
    await advance(0); // a refusal settles at once; admitted calls wait for their slots
    expect(refusals.length).toBeGreaterThan(15);
    expect(refusals.every((e) => e instanceof UpstreamBusyError)).toBe(true);
    expect((refusals[0] as UpstreamBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(3);
    // The next free slot plus one turn of the flooder's: about 1.2 s, not the flooder's whole queue.
    expect(limiter.estimateWaitMs("other")).toBeLessThan(1500);
    const other = run("other", 3000);
    // Without a bound (background work), a call waits however long the queue is.
    const background = run(Symbol.for("background"));
    await advance(30_000);
    await Promise.all([...calls, other, background]);
    expect(started.filter((s) => s.caller === "flooder")).toHaveLength(40 - refusals.length);
    expect(started.some((s) => s.caller === "other")).toBe(true);
    expect(started.some((s) => typeof s.caller === "symbol")).toBe(true);
  });
});

describe("users of one server", () => {
  const MAX_RPS = 8;
  const tenant = useRealTenant(["hog", "quiet"], { env: { TANMA_MAX_RPS: String(MAX_RPS), TANMA_MAX_WAIT_MS: "2000" } });

  it("one user over the budget gets 429 with Retry-After, and another user's requests stay fast", async () => {
    // Lists come from the lead store; a lead's detail is the live call each user makes of Tanma.
    const { GET: detail } = await import("@/app/api/clues/[customerId]/route");
    const [hog, quiet] = [await tenant.session("hog"), await tenant.session("quiet")];
    const page = (cookie: string, n: number) =>
      detail(new Request("http://127.0.0.1:3000/api/clues/x", { headers: { cookie } }), {
        params: Promise.resolve({ customerId: String(tenant.simulator().dataset.clues.at(-1 - n)!.customerId) }),
      });
    expect((await page(quiet, 0)).status).toBe(200); // loads the dictionary outside the measurement

    // The hog sends 19 requests a second for 4 seconds, each one upstream call: more than twice the budget.
    // The quiet user starts once the hog has filled the first window, and asks 4 times a second.
    const hogRequests: Promise<Response>[] = [];
    const quietLatencies: number[] = [];
    const until = performance.now() + 4000;
    let tick = 0;
    while (performance.now() < until) {
      hogRequests.push(page(hog, tick % 30));
      if (tick >= 25 && tick % 5 === 0) {
        const started = performance.now();
        void page(quiet, tick % 30).then((response) => {
          expect(response.status).toBe(200);
          quietLatencies.push(performance.now() - started);
        });
      }
      tick++;
      await new Promise((resolve) => setTimeout(resolve, 1000 / 19));
    }
    const hogResponses = await Promise.all(hogRequests);
    await vi.waitFor(() => expect(quietLatencies.length).toBeGreaterThanOrEqual(10), { timeout: 5000 });

    const limited = hogResponses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(10);
    expect(hogResponses.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited[0]!.json()).toEqual({ error: expect.stringContaining("upstream busy") });
    // Each quiet request waits for about one spaced slot and one turn of the hog's (≈ 0.3 s at 8/s), never
    // the hog's whole queue (seconds, and growing, before).
    expect(Math.max(...quietLatencies)).toBeLessThan(800);
    expect(tenant.simulator().stats().peakRps).toBeLessThanOrEqual(MAX_RPS);
  });
});

describe("a limiter made by another copy of the modules", () => {
  // Its own budget, so this block's limiter is made afresh (the limiter is one per process and per TANMA_MAX_RPS).
  const tenant = useRealTenant(["hog"], { env: { TANMA_MAX_RPS: "5", TANMA_MAX_WAIT_MS: "1000" } });

  it("still answers a user over their share with 429 and Retry-After, never 500", async () => {
    // Next.js's production build may load a module once per route bundle; the limiter lives on globalThis, so the
    // refusals it makes are another bundle's UpstreamBusyError. Two module graphs in one process show the same.
    vi.resetModules(); // a module graph that reads this block's environment
    const first = await import("@/app/api/clues/[customerId]/route");
    const hog = await tenant.session("hog");
    const ids = tenant.simulator().dataset.clues.slice(-30).map((c) => String(c.customerId));
    const detail = (route: typeof first, n: number) =>
      route.GET(new Request("http://127.0.0.1:3000/api/clues/x", { headers: { cookie: hog } }), { params: Promise.resolve({ customerId: ids[n % ids.length]! }) });
    expect((await detail(first, 0)).status).toBe(200); // the limiter is made by the first copy
    vi.resetModules();
    const second = await import("@/app/api/clues/[customerId]/route");
    expect(second).not.toBe(first);

    const responses: Promise<Response>[] = [];
    for (let n = 0; n < 40; n++) {
      responses.push(detail(second, n));
      await new Promise((resolve) => setTimeout(resolve, 1000 / 20));
    }
    const answered = await Promise.all(responses);
    const statuses = answered.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 429), statuses.join(",")).toEqual([]);
    const limited = answered.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(5);
    for (const response of limited) {
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await response.json()).toEqual({ error: expect.stringContaining("upstream busy") });
    }
  });
});
