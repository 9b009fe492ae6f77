import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { POST as revealPhones } from "@/app/api/clues/[customerId]/phones/route";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueItem, ClueListResponse, PhoneNumbers } from "@/lib/clues/schema";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import { callTanmaDirectly, useSimulator } from "./support/simulator";

const MAX_RPS = 10;
/** A mainland mobile number standing alone, not a run of digits inside a 15-digit id. */
const PHONE_NUMBER = /(?<!\d)1[3-9]\d{9}(?!\d)/;
// One caller sends every request here (no sign-in, no front door), so it may queue long: 50 calls at 10/s.
const simulator = useSimulator({ TANMA_MAX_RPS: String(MAX_RPS), TANMA_TIMEOUT_MS: "2000", TANMA_MAX_WAIT_MS: "30000" });

const today = chinaToday();
const week = { since: addDays(today, -6), before: addDays(today, 1) };

const list = (query: Record<string, string>) =>
  getClueList(new Request(`http://localhost/api/clues?${new URLSearchParams(query)}`), undefined);

afterEach(() => {
  simulator().setKnobs({ errorRate: 0, latencyMs: 0, errorMode: "http503", clockOffsetMs: 0 });
  vi.restoreAllMocks();
});

/** Walks a range like the page does: a failed page is asked again (the page's retry), never skipped. */
async function walkWithRetries(query: Record<string, string>) {
  const items: ClueItem[] = [];
  let cursor: string | null = null;
  let failures = 0;
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
  } while (cursor !== null);
  return { items, failures };
}

describe("under injected upstream faults", () => {
  it("walks a whole week with 20% of Tanma calls failing and loses or repeats no record", async () => {
    // Pages of 20 make ≈ 50 upstream calls, so the chance that no fault at all is injected is ≈ 0.8^50 ≈ 1e-5.
    const query = { ...week, size: "20" };
    const clean = await walkWithRetries(query);
    simulator().resetStats();
    simulator().setKnobs({ errorRate: 0.2, errorMode: "http503" });
    const faulty = await walkWithRetries(query);
    const ids = faulty.items.map((c) => c.customerId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(clean.items.map((c) => c.customerId));
    // Faults were really injected, and the client's own retries absorbed most of them.
    expect(simulator().stats().rejected.injected ?? 0).toBeGreaterThan(0);
    expect(faulty.failures).toBeLessThan(simulator().stats().rejected.injected ?? 0);
  });

  it("retries a timed-out call, then answers 504 with a clear message", async () => {
    simulator().setKnobs({ latencyMs: 2500 });
    simulator().resetStats();
    const response = await list(week);
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: string }).error).toMatch(/超时/);
    expect(simulator().stats().requests).toBe(3);
  });

  it("does not retry a business error", async () => {
    simulator().setKnobs({ errorRate: 1, errorMode: "business" });
    simulator().resetStats();
    expect((await list(week)).status).toBe(502);
    expect(simulator().stats().requests).toBe(1);
  });
});

describe("clock skew (1003)", () => {
  it("is retried once with a fresh timestamp and logged loudly", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(" ")));
    simulator().setKnobs({ clockOffsetMs: 10 * 60_000 });
    simulator().resetStats();
    const response = await list(week);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { upstreamCode: number }).upstreamCode).toBe(1003);
    expect(simulator().stats().rejected["1003"]).toBe(2);
    expect(errors.filter((line) => line.includes('"event":"tanma_clock_skew"'))).toHaveLength(1);
  });
});

describe("the upstream limiter", () => {
  it(`keeps Tanma under ${MAX_RPS} requests/s with 50 concurrent clients`, async () => {
    await list(week); // loads the dictionary outside the measured burst
    simulator().resetStats();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => list({ since: addDays(today, -1 - (i % 30)), before: addDays(today, -(i % 30)), size: "20" })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(simulator().stats().requests).toBe(50);
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
    const mobile = direct.data.fields.find((f: { field: string }) => f.field === "mobile");
    expect(numbers.find((p) => p.key === "mobile")?.values).toEqual(JSON.parse(mobile.valueAsText));

    const audit = logged.filter((line) => line.includes("audit_phone_reveal"));
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ customerId: clue.customerId, user: expect.any(String), time: expect.any(String) });
    expect(logged.filter((line) => line.includes('"event":"api_request"')).length).toBe(2);
    expect(logged.join("\n")).not.toMatch(PHONE_NUMBER);
  });
});
