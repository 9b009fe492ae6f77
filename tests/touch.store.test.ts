import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaToday, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import { parse as parseCsv } from "csv-parse/sync";
import { GET as getFollowUps } from "@/app/api/clues/[customerId]/follow-ups/route";
import { GET as getExport } from "@/app/api/clues/export/route";
import { GET as getFacets } from "@/app/api/clues/facets/route";
import { GET as getClueList } from "@/app/api/clues/route";
import type { ClueFacetsResponse, ClueItem, ClueListResponse } from "@/lib/clues/schema";
import { cluesDb } from "@/lib/clues/store/tenant";
import { clues } from "@/lib/clues/store/tables";
import { syncDay } from "@/lib/clues/store/sync";
import { readDueTouches } from "@/lib/clues/store/touch-reader";
import { firstPersonFollowUp } from "@/simulator/follow-ups";
import { DEFAULT_FAULT_KNOBS, LIFE_OFF } from "@/simulator/knobs";
import { startSimulator, type Simulator } from "@/simulator/server";

/**
 * The touch reader against a simulated tenant whose clock the test moves, a week in five-minute steps: leads
 * arrive, the store walks today every hour, people touch leads as the simulator's seed says, and the reader
 * runs a pass every step at the simulated now. Its answers are compared with the simulator's own follow-ups.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const POLL_MS = 5 * MINUTE;
const TANMA_MAX_RPS = 400;
const TOUCH_MAX_RPS = 200;
/** Longer than the test's span, so no lead leaves the window while the reader settles. */
const WINDOW_DAYS = 12;

const START = Date.now() - 9 * DAY;
let tenantNow = START;
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, now: START, clock: () => tenantNow, leadsPerDay: 20, knobs: { ...LIFE_OFF, arrivalsPerMinute: 0.02 } });
  sim.setKnobs({ rateLimitRps: TANMA_MAX_RPS });
  Object.assign(process.env, {
    TANMA_SIMULATOR_URL: sim.baseUrl,
    TANMA_MAX_RPS: String(TANMA_MAX_RPS),
    TOUCH_MAX_RPS: String(TOUCH_MAX_RPS),
    TOUCH_WINDOW_DAYS: String(WINDOW_DAYS),
    TOUCH_POLL_INTERVAL_S: String(POLL_MS / 1000),
    STORE_LIVE_INTERVAL_S: "3600",
  });
  delete process.env.TANMA_APP_ID;
  delete process.env.TANMA_APP_KEY;
});
afterAll(() => sim.close());

type Stored = { customerId: number; createTime: string; firstTouchAt: string | null; firstTouchBy: string | null };
async function storedLeads(): Promise<Stored[]> {
  const db = await cluesDb();
  return db.select({ customerId: clues.customerId, createTime: clues.createTime, firstTouchAt: clues.firstTouchAt, firstTouchBy: clues.firstTouchBy }).from(clues);
}

/** The simulator's truth at its now: the earliest follow-up by a person. */
function truthOf(customerId: number): { at: string; by: string } | undefined {
  const first = firstPersonFollowUp(sim.followUpsOf(customerId));
  return first === undefined ? undefined : { at: first.createTime, by: first.operator!.name };
}

/** Walks of today (and of yesterday once it has ended), as the follower makes them; a failed walk is tried again next time. */
const walkTimes: number[] = [];
async function walkToday(now: number): Promise<void> {
  const days = new Set([chinaToday(now), chinaToday(now - HOUR)]);
  const results = await Promise.allSettled([...days].map((day) => syncDay(day)));
  if (results.every((r) => r.status === "fulfilled")) walkTimes.push(now);
}

/** Moves tenant and reader through [from, to) in poll-interval steps: a walk every hour, a reader pass every step. */
async function live(from: number, to: number): Promise<{ checked: number; failed: number }> {
  const totals = { checked: 0, failed: 0 };
  for (let now = from, step = 0; now < to; now += POLL_MS, step++) {
    tenantNow = now;
    if (step % 12 === 0) await walkToday(now);
    const pass = await readDueTouches(now);
    totals.checked += pass.checked;
    totals.failed += pass.failed;
  }
  return totals;
}

/** The reader's clock moves on while the tenant's stands still: every lead in the window gets checked again. */
async function settle(frozenAt: number, days: number): Promise<void> {
  tenantNow = frozenAt;
  for (let now = frozenAt; now <= frozenAt + days * DAY; now += HOUR) await readDueTouches(now);
}

/** Leads whose stored first touch differs from the truth: a touch recorded wrong, never allowed. */
async function wronglyMarked(): Promise<Stored[]> {
  return (await storedLeads()).filter((lead) => {
    if (lead.firstTouchAt === null) return false;
    const truth = truthOf(lead.customerId);
    return truth?.at !== lead.firstTouchAt || truth.by !== lead.firstTouchBy;
  });
}

describe("the touch reader", () => {
  it("records a first touch when a lead's detail reads its whole follow-up list, without the reader", async () => {
    const lead = sim.addClue();
    await syncDay(chinaToday(tenantNow));
    const touch = sim.addFollowUp(lead.customerId, { operator: { qwUserId: "LiSi", name: "李四" } });
    sim.addFollowUp(lead.customerId, { operator: { qwUserId: "", name: "系统" } });
    const id = String(lead.customerId);
    const response = await getFollowUps(new Request(`http://localhost/api/clues/${id}/follow-ups`), { params: Promise.resolve({ customerId: id }) });
    expect(response.status).toBe(200);
    const stored = (await storedLeads()).find((row) => row.customerId === lead.customerId);
    expect(stored).toMatchObject({ firstTouchAt: touch.createTime, firstTouchBy: "李四" });
  });

  const weekEnd = START + 7 * DAY;

  it("over a simulated week: every touch known within max(poll interval, a quarter of the lead's age), exactly, system entries never counted, within the quota", async () => {
    sim.resetStats();
    await live(START, weekEnd);

    const leads = (await storedLeads()).filter((lead) => lead.createTime >= formatChinaWallTime(START));
    expect(leads.length).toBeGreaterThan(150);
    expect(await wronglyMarked()).toEqual([]);
    // Due by the schedule: known at the end of the week (a pass runs every step, so one step's slack).
    let due = 0;
    for (const lead of leads) {
      const truth = truthOf(lead.customerId);
      if (truth === undefined) continue;
      const createdMs = parseChinaWallTime(lead.createTime);
      const touchedMs = parseChinaWallTime(truth.at);
      const storedMs = walkTimes.find((t) => t >= createdMs) ?? Infinity;
      const deadline = Math.max(touchedMs, storedMs) + Math.max(POLL_MS, (touchedMs - createdMs) / 4) + POLL_MS;
      if (deadline > weekEnd) continue;
      due++;
      expect({ id: lead.customerId, at: lead.firstTouchAt }).toEqual({ id: lead.customerId, at: truth.at });
    }
    expect(due).toBeGreaterThan(100);
    // Leads whose first entries are system ones were read past them.
    const afterSystem = leads.filter((lead) => lead.firstTouchAt !== null && sim.followUpsOf(lead.customerId).at(-1)?.operator?.qwUserId === "");
    expect(afterSystem.length).toBeGreaterThan(20);
    const stats = sim.stats();
    expect(stats.rejected["429"]).toBeUndefined();
    expect(stats.peakRps).toBeLessThanOrEqual(TANMA_MAX_RPS);

    sim.resetStats();
    await settle(weekEnd, 3);
    const settled = await storedLeads();
    for (const lead of settled) {
      const truth = truthOf(lead.customerId);
      expect({ id: lead.customerId, at: lead.firstTouchAt, by: lead.firstTouchBy }).toEqual({ id: lead.customerId, at: truth?.at ?? null, by: truth?.by ?? null });
    }
    expect(settled.filter((lead) => lead.firstTouchAt === null).length).toBeGreaterThan(20);
    // The reader alone: within its own share.
    expect(sim.stats().peakRps).toBeLessThanOrEqual(TOUCH_MAX_RPS);
    expect(sim.stats().byPath["/api/v3/clue/list-follow-up"]).toBeGreaterThan(0);

    // Walking the days again refreshes the leads but keeps what the reader found beside them.
    const byId = (a: Stored, b: Stored) => a.customerId - b.customerId;
    const days = [...new Set(settled.map((lead) => lead.createTime.slice(0, 10)))];
    await Promise.all(days.map((day) => syncDay(day)));
    expect((await storedLeads()).sort(byId)).toEqual(settled.sort(byId));
  }, 300_000);

  it("under 20% injected failures loses nothing and marks nothing wrongly", async () => {
    const from = weekEnd + 3 * DAY;
    sim.setKnobs({ errorRate: 0.2, errorMode: "http503" });
    const totals = await live(from, from + DAY);
    expect(totals.failed).toBeGreaterThan(10);
    expect(await wronglyMarked()).toEqual([]);

    sim.setKnobs(DEFAULT_FAULT_KNOBS);
    await walkToday(from + DAY);
    await settle(from + DAY, 3);
    const oldestDay = addDays(chinaToday(from + 4 * DAY), -(WINDOW_DAYS - 1));
    const inWindow = (await storedLeads()).filter((lead) => lead.createTime.slice(0, 10) >= oldestDay);
    expect(inWindow.length).toBeGreaterThan(150);
    for (const lead of inWindow) {
      const truth = truthOf(lead.customerId);
      expect({ id: lead.customerId, at: lead.firstTouchAt, by: lead.firstTouchBy }).toEqual({ id: lead.customerId, at: truth?.at ?? null, by: truth?.by ?? null });
    }
    expect(await wronglyMarked()).toEqual([]);
  }, 180_000);

  it("serves the first touch in the list, filters and counts by it, reports speed to lead and exports it", async () => {
    const range = { since: chinaToday(START), before: addDays(chinaToday(START), 7) };
    const api = async (handler: (request: Request, context: undefined) => Promise<Response>, path: string, query: Record<string, string>) => {
      const response = await handler(new Request(`http://localhost${path}?${new URLSearchParams({ ...range, ...query })}`), undefined);
      expect(response.status).toBe(200);
      return response;
    };
    const all = async (query: Record<string, string>) => {
      const items: ClueItem[] = [];
      let cursor: string | null = null;
      do {
        const page = (await (await api(getClueList, "/api/clues", { ...query, size: "100", ...(cursor ? { cursor } : {}) })).json()) as ClueListResponse;
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return items;
    };
    const everyLead = await all({});
    const touched = await all({ touch: "touched" });
    const untouched = await all({ touch: "untouched" });
    expect(touched.length).toBeGreaterThan(100);
    expect(untouched.length).toBeGreaterThan(20);
    expect(touched.length + untouched.length).toBe(everyLead.length);
    expect(touched.every((item) => item.firstTouchAt !== null && item.firstTouchBy !== null)).toBe(true);
    expect(untouched.every((item) => item.firstTouchAt === null && item.firstTouchBy === null)).toBe(true);
    for (const item of touched) expect(truthOf(Number(item.customerId))).toEqual({ at: item.firstTouchAt, by: item.firstTouchBy });

    const facets = (await (await api(getFacets, "/api/clues/facets", {})).json()) as ClueFacetsResponse;
    expect(facets.touch).toEqual({ touched: touched.length, untouched: untouched.length });
    const delays = touched
      .map((item) => (parseChinaWallTime(item.firstTouchAt!) - parseChinaWallTime(item.createTime)) / MINUTE)
      .sort((a, b) => a - b);
    // percentile_cont: linear between the two nearest ranks.
    const percentile = (p: number) => {
      const rank = p * (delays.length - 1);
      const low = delays[Math.floor(rank)]!;
      return low + (delays[Math.ceil(rank)]! - low) * (rank - Math.floor(rank));
    };
    expect(facets.firstTouch.medianMinutes).toBeCloseTo(percentile(0.5), 0);
    expect(facets.firstTouch.p90Minutes).toBeCloseTo(percentile(0.9), 0);
    expect(facets.firstTouch.withinSla).toBe(delays.filter((d) => d <= 60).length);
    expect(facets.firstTouch.slaMinutes).toBe(60);
    // Filtered to untouched leads: the touch counts stay (their own filter is left out), the speed has no lead.
    const untouchedFacets = (await (await api(getFacets, "/api/clues/facets", { touch: "untouched" })).json()) as ClueFacetsResponse;
    expect(untouchedFacets.total).toBe(untouched.length);
    expect(untouchedFacets.touch).toEqual(facets.touch);
    expect(untouchedFacets.firstTouch).toMatchObject({ medianMinutes: null, p90Minutes: null, withinSla: 0 });
    const refused = await getClueList(new Request(`http://localhost/api/clues?${new URLSearchParams({ ...range, touch: "cold" })}`), undefined);
    expect(refused.status).toBe(400);

    const csv = parseCsv(Buffer.from(await (await api(getExport, "/api/clues/export", { format: "csv", touch: "touched" })).arrayBuffer()), { bom: true }) as string[][];
    const [header, ...rows] = csv;
    const at = header!.indexOf("首次跟进时间");
    const by = header!.indexOf("首次跟进人");
    expect(at).toBeGreaterThan(0);
    const exported = new Map(rows.map((row) => [row[0], [row[at], row[by]]]));
    expect(exported.size).toBe(touched.length);
    for (const item of touched) expect(exported.get(item.customerId)).toEqual([item.firstTouchAt, item.firstTouchBy]);
  });
});
