import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { GET as getFacets } from "@/app/api/clues/facets/route";
import { GET as getClue } from "@/app/api/clues/[customerId]/route";
import { addDays, chinaToday, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import type { ClueFacetsResponse, ClueListResponse } from "@/lib/clues/schema";
import { clueFilterSchema } from "@/lib/clues/schema";
import { countMatching, readPage } from "@/lib/clues/store/clue-query";
import { countFacets } from "@/lib/clues/store/facets";
import { syncDay } from "@/lib/clues/store/sync";
import { recordFirstTouch } from "@/lib/clues/store/touch-reader";
import { cluesDb } from "@/lib/clues/store/tenant";
import { useSimulator } from "./support/simulator";

/**
 * The answers the store keeps per range version (lib/clues/store/answer-cache.ts) against the same answers
 * computed from the leads at that moment, after arbitrary interleavings of every kind of write the store takes:
 * a day's walk, a lead arriving (its detail written back), an edit, a first touch recorded, a removal (walked, or found gone when its
 * detail is opened), with reads running alongside each write. Each read is asked twice after a write, so the
 * second answer comes from what the first one kept.
 */
const simulator = useSimulator({ TANMA_TIMEOUT_MS: "2000", STORE_LIVE_INTERVAL_S: "3600" });

const today = chinaToday();
const days = [addDays(today, -2), addDays(today, -1), today];
const range = { since: days[0]!, before: addDays(today, 1) };
const FILTERS: Record<string, string>[] = [{}, { type: "1" }, { type: "2" }, { status: "clue" }, { status: "unassigned", type: "2" }, { touch: "untouched" }, { touch: "touched", type: "1" }];

async function answer<T>(route: typeof getClueList, path: string, params: Record<string, string>): Promise<T> {
  const response = await route(new Request(`http://localhost${path}?${new URLSearchParams({ ...range, ...params })}`), undefined);
  const body = (await response.json()) as T & { error?: string };
  expect(response.status, body.error).toBe(200);
  return body;
}

/** The list's first page, its total and the facets, as the API answers them and as the leads give them now. */
async function compareWithLeads(params: Record<string, string>): Promise<void> {
  const listed = await answer<ClueListResponse>(getClueList, "/api/clues", { ...params, size: "30" });
  const answered = await answer<ClueFacetsResponse>(getFacets, "/api/clues/facets", params);
  const filter = clueFilterSchema.parse({ ...range, ...params });
  const db = await cluesDb();
  const page = await readPage(db, filter, { size: 30 });
  const counted = await countFacets(db, filter, Date.now());
  expect(listed.items.map((c) => c.customerId)).toEqual(page.records.map((r) => String(r.record.customerId)));
  expect(listed.items.map((c) => c.firstTouchAt)).toEqual(page.records.map((r) => r.firstTouch?.at ?? null));
  expect(listed.total).toBe(await countMatching(db, filter));
  const { sync: _sync, ...facets } = answered;
  expect(facets).toEqual(counted);
}

type Write = { kind: "walk"; day: number } | { kind: "touch"; pick: number; minutes: number } | { kind: "arrive"; type: 1 | 2; isClue: boolean } | { kind: "edit"; pick: number } | { kind: "remove"; pick: number; walk: boolean };

const writes: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ kind: fc.constant("walk" as const), day: fc.nat(days.length - 1) }),
  fc.record({ kind: fc.constant("arrive" as const), type: fc.constantFrom(1 as const, 2 as const), isClue: fc.boolean() }),
  fc.record({ kind: fc.constant("edit" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("touch" as const), pick: fc.nat(), minutes: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat(), walk: fc.boolean() }),
);

/** A lead of the range the tenant still has, chosen by `pick`. */
function leadOfRange(pick: number): { customerId: number; createTime: string } {
  const leads = simulator().dataset.clues.filter((c) => c.createTime >= `${range.since} 00:00:00`);
  return leads[pick % leads.length]!;
}

async function openDetail(customerId: number): Promise<void> {
  const response = await getClue(new Request(`http://localhost/api/clues/${customerId}`), { params: Promise.resolve({ customerId: String(customerId) }) });
  expect([200, 404]).toContain(response.status);
}

async function apply(write: Write): Promise<void> {
  if (write.kind === "walk") return syncDay(days[write.day]!);
  if (write.kind === "arrive") {
    const added = simulator().addClue({ createTime: formatChinaWallTime(Date.now() - 60_000), type: write.type, isClue: write.isClue });
    return openDetail(added.customerId);
  }
  const lead = leadOfRange(write.pick);
  if (write.kind === "touch") {
    // What the touch reader and an opened detail record: a person's first follow-up.
    return recordFirstTouch(lead.customerId, { at: formatChinaWallTime(parseChinaWallTime(lead.createTime) + write.minutes * 60_000), by: "李四" });
  }
  if (write.kind === "edit") {
    simulator().editClue(lead.customerId, { fields: { name: `改名${write.pick % 1000}` } });
    return openDetail(lead.customerId);
  }
  simulator().removeClue(lead.customerId);
  return write.walk ? syncDay(lead.createTime.slice(0, 10)) : openDetail(lead.customerId);
}

describe("lead store: cached answers", () => {
  it("equal the answers computed from the leads, after any interleaving of writes and reads", async () => {
    for (const day of days) await syncDay(day);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(writes, fc.constantFrom(...FILTERS)), { minLength: 1, maxLength: 6 }), async (steps) => {
        for (const [write, params] of steps) {
          await compareWithLeads(params);
          // A read while the write runs must not leave behind an answer older than the write.
          await Promise.all([apply(write), answer(getClueList, "/api/clues", { ...params, size: "30" }), answer(getFacets, "/api/clues/facets", params)]);
          await compareWithLeads(params);
          await compareWithLeads(params);
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe("lead store: revalidation", () => {
  it("answers 304 to the tag of the answer it would give, and the new answer once a write changed it", async () => {
    for (const day of days) await syncDay(day);
    const url = `http://localhost/api/clues?${new URLSearchParams({ ...range, size: "10" })}`;
    const first = await getClueList(new Request(url), undefined);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");

    const again = await getClueList(new Request(url, { headers: { "if-none-match": `W/"other", ${etag}` } }), undefined);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");

    const added = simulator().addClue({ createTime: formatChinaWallTime(Date.now() - 30_000) });
    await openDetail(added.customerId);
    const changed = await getClueList(new Request(url, { headers: { "if-none-match": etag } }), undefined);
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(((await changed.json()) as ClueListResponse).items[0]!.customerId).toBe(String(added.customerId));
  });
});
