import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { GET as getClue } from "@/app/api/clues/[customerId]/route";
import { POST as revealPhones } from "@/app/api/clues/[customerId]/phones/route";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueItem, ClueListResponse, PhoneNumbers } from "@/lib/clues/schema";
import { stopSync } from "@/lib/clues/store/sync";
import { TANMA_PATHS, upstreamClueDetailSchema } from "@/lib/tanma/schemas";
import { DEFAULT_FAULT_KNOBS } from "@/simulator/knobs";
import { callTanmaDirectly, useSimulator } from "./support/simulator";

const MAX_RPS = 10;
/** A mainland mobile number standing alone, not a run of digits inside a 15-digit id. */
const PHONE_NUMBER = /(?<!\d)1[3-9]\d{9}(?!\d)/;
// One caller sends every request here (no sign-in, no front door), so it may queue long: 50 calls at 10/s.
// The store's follower steps once at the first read and then stays quiet, so the counts below are the tests' own calls.
const simulator = useSimulator({ TANMA_MAX_RPS: String(MAX_RPS), TANMA_TIMEOUT_MS: "2000", TANMA_MAX_WAIT_MS: "30000", STORE_LIVE_INTERVAL_S: "3600" });

const today = chinaToday();

const list = (query: Record<string, string>) =>
  getClueList(new Request(`http://localhost/api/clues?${new URLSearchParams(query)}`), undefined);

/** The detail route stays a live call to Tanma: the way to see the client's retries from outside. */
const detail = (index: number) => {
  const clue = simulator().dataset.clues.at(-1 - index)!;
  return getClue(new Request("http://localhost"), { params: Promise.resolve({ customerId: String(clue.customerId) }) });
};

afterEach(() => {
  simulator().setKnobs(DEFAULT_FAULT_KNOBS);
  vi.restoreAllMocks();
});

/**
 * Walks a range like the page does: a failed page is asked again (the page's retry), never skipped; and while
 * the answer says days of the range are still missing (a day whose walk failed even after the client's
 * retries), the list is read again from the top, as the page's sync progress does.
 */
async function walkWithRetries(query: Record<string, string>) {
  let failures = 0;
  for (let pass = 0; pass < 6; pass++) {
    const items: ClueItem[] = [];
    let cursor: string | null = null;
    let pendingDays = 0;
    do {
      const response = await list(cursor ? { ...query, cursor } : query);
      if (response.status !== 200) {
        expect(response.status).toBe(502);
        failures++;
        expect(failures).toBeLessThan(20);
        continue;
      }
      const page = (await response.json()) as ClueListResponse;
      items.push(...page.items);
      cursor = page.nextCursor;
      pendingDays = page.sync.pendingDays;
    } while (cursor !== null);
    if (pendingDays === 0) return { items, failures };
  }
  throw new Error("the range never came in whole");
}

describe("under injected upstream faults", () => {
  it("fills a cold week with 20% of Tanma calls failing and loses or repeats no record", async () => {
    // A day of the seeded tenant is one or two upstream pages, so a week is ≈ 7–14 calls and no fault at all is
    // injected in ≈ 0.8^7 ≈ 21% of weeks: the walk moves on to an older week until one was hit (all of 8 weeks
    // missed ≈ 4 in a million). Two weeks only failed ≈ 4% of runs.
    const coldWeek = (weeksAgo: number) => ({ since: addDays(today, -7 * weeksAgo - 6), before: addDays(today, -7 * weeksAgo + 1) });
    simulator().setKnobs({ errorRate: 0.2, errorMode: "http503" });
    // Weeks 3, 4, then 11 to 16: the later tests read days 40–69 cold.
    for (const weeksAgo of [3, 4, 11, 12, 13, 14, 15, 16]) {
      const query = { ...coldWeek(weeksAgo), size: "20", order: "asc" };
      simulator().resetStats();
      const faulty = await walkWithRetries(query);
      const ids = faulty.items.map((c) => c.customerId);
      const expected = simulator()
        .dataset.clues.filter((c) => c.createTime >= `${query.since} 00:00:00` && c.createTime < `${query.before} 00:00:00`)
        .map((c) => String(c.customerId));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
      // The client's own retries absorb most faults; what they do not is a failed day walk, retried by the next read.
      expect(faulty.failures).toBeLessThanOrEqual(simulator().stats().rejected.injected ?? 0);
      if ((simulator().stats().rejected.injected ?? 0) > 0) return;
    }
    throw new Error("no fault was injected in eight cold weeks");
  });

  it("retries a timed-out call, then answers 504 with a clear message", async () => {
    simulator().setKnobs({ latencyMs: 2500 });
    simulator().resetStats();
    const response = await detail(0);
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: string }).error).toMatch(/超时/);
    expect(simulator().stats().byPath[TANMA_PATHS.clueGet]).toBe(3);
    // The simulator answers the abandoned attempts only when their latency is up: let them land here, not in
    // the next test's counts.
    await new Promise((resolve) => setTimeout(resolve, 2600));
  });

  it("does not retry a business error", async () => {
    simulator().setKnobs({ errorRate: 1, errorMode: "business" });
    simulator().resetStats();
    expect((await detail(0)).status).toBe(502);
    expect(simulator().stats().requests).toBe(1);
  });
});

describe("clock skew (1003)", () => {
  it("is retried once with a fresh timestamp and logged loudly", async () => {
    // Day walks the earlier reads left running in the background would meet the skewed clock too.
    await stopSync();
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(" ")));
    simulator().setKnobs({ clockOffsetMs: 10 * 60_000 });
    simulator().resetStats();
    const response = await detail(0);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { upstreamCode: number }).upstreamCode).toBe(1003);
    expect(simulator().stats().rejected["1003"]).toBe(2);
    expect(errors.filter((line) => line.includes('"event":"tanma_clock_skew"'))).toHaveLength(1);
  });
});

describe("the upstream limiter", () => {
  it(`keeps Tanma under ${MAX_RPS} requests/s with 50 concurrent clients`, async () => {
    await detail(0); // loads the dictionary outside the measured burst
    simulator().resetStats();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => detail(i)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    // The store's follower may make its own list call meanwhile, through the same limiter.
    expect(simulator().stats().byPath[TANMA_PATHS.clueGet]).toBe(50);
    expect(simulator().stats().peakRps).toBeLessThanOrEqual(MAX_RPS);
  });

  it(`keeps Tanma under ${MAX_RPS} requests/s while 50 clients read 30 cold days at once`, async () => {
    simulator().resetStats();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => list({ since: addDays(today, -40 - (i % 30)), before: addDays(today, -39 - (i % 30)), size: "20" })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    // One walk per day, however many clients asked for it: about 2 pages of 100 per day.
    expect(simulator().stats().requests).toBeLessThan(30 * 3);
    expect(simulator().stats().peakRps).toBeLessThanOrEqual(MAX_RPS);
  });
});

describe("phone numbers", () => {
  it("leave the list masked and appear in no log line", async () => {
    const logged: string[] = [];
    for (const level of ["info", "warn", "error", "log"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const response = await list({ since: addDays(today, -1), before: today });
    const page = (await response.json()) as ClueListResponse;
    const phones = page.items.flatMap((c) => c.fields.filter((f) => f.type === 8));
    expect(phones.some((f) => f.values.length > 0)).toBe(true);
    for (const field of phones) {
      for (const value of field.values) expect(value).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    expect(JSON.stringify(page)).not.toMatch(PHONE_NUMBER);

    const clue = page.items.find((c) => c.fields.some((f) => f.type === 8 && f.values.length > 0))!;
    const revealed = await revealPhones(new Request("http://localhost", { method: "POST" }), {
      params: Promise.resolve({ customerId: clue.customerId }),
    });
    const numbers = (await revealed.json()) as PhoneNumbers;
    const direct = await callTanmaDirectly(simulator().baseUrl, TANMA_PATHS.clueGet, { customerId: Number(clue.customerId) });
    const mobile = upstreamClueDetailSchema.parse(direct.data).fields.find((f) => f.field === "mobile");
    expect(numbers.find((p) => p.key === "mobile")?.values).toEqual(JSON.parse(mobile?.valueAsText ?? "null"));

    const audit = logged.filter((line) => line.includes("audit_phone_reveal"));
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ target: clue.customerId, user: expect.any(String), time: expect.any(String) });
    expect(logged.filter((line) => line.includes('"event":"api_request"')).length).toBe(2);
    expect(logged.join("\n")).not.toMatch(PHONE_NUMBER);
  });
});
