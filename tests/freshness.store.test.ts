import { describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { GET as getClue } from "@/app/api/clues/[customerId]/route";
import { POST as postSync } from "@/app/api/sync/route";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueItem, ClueListResponse, SyncResponse } from "@/lib/clues/schema";
import { useSimulator } from "./support/simulator";

/** The store against a tenant that changes: arrivals, edits and removals reach the list as the README says. */
const LIVE_INTERVAL_S = 0.5;
const simulator = useSimulator({ TANMA_TIMEOUT_MS: "2000", STORE_LIVE_INTERVAL_S: String(LIVE_INTERVAL_S) });

const today = chinaToday();
const todayRange = { since: today, before: addDays(today, 1) };

const query = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));

async function page(params: Record<string, string | number>): Promise<ClueListResponse> {
  const response = await getClueList(new Request(`http://localhost/api/clues?${query(params)}`), undefined);
  expect(response.status).toBe(200);
  return (await response.json()) as ClueListResponse;
}

async function walk(params: Record<string, string | number>, between?: (pages: number) => void): Promise<ClueItem[]> {
  const items: ClueItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const next = await page(cursor ? { ...params, cursor } : params);
    items.push(...next.items);
    cursor = next.nextCursor;
    between?.(++pages);
  } while (cursor !== null);
  return items;
}

async function sync(range: { since: string; before: string }): Promise<{ status: number; body: SyncResponse }> {
  const response = await postSync(new Request(`http://localhost/api/sync?${query(range)}`, { method: "POST" }), undefined);
  return { status: response.status, body: (await response.json()) as SyncResponse };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, afterMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const fieldValue = (item: ClueItem | undefined, key: string) => item?.fields.find((f) => f.key === key)?.values[0];

describe("lead store: freshness", () => {
  it("lists a new lead within the live interval", async () => {
    await walk(todayRange);
    const added = simulator().addClue({ name: "新到线索甲" });
    const { afterMs } = await eventually(
      async () => (await page({ ...todayRange, size: 5 })).items.find((c) => c.customerId === String(added.customerId)),
      LIVE_INTERVAL_S * 1000 * 6,
    );
    expect(afterMs).toBeLessThan(LIVE_INTERVAL_S * 1000 * 6);
  });

  it("shows an edit and drops a removed lead after the day's refresh, not before", async () => {
    const day = addDays(today, -3);
    const range = { since: day, before: addDays(day, 1) };
    const [edited, removed] = await walk(range);
    simulator().editClue(Number(edited!.customerId), { fields: { name: "改过的名字" } });
    simulator().removeClue(Number(removed!.customerId));

    const stored = await walk(range);
    expect(fieldValue(stored.find((c) => c.customerId === edited!.customerId), "name")).not.toBe("改过的名字");
    expect(stored.some((c) => c.customerId === removed!.customerId)).toBe(true);

    const { status, body } = await sync(range);
    expect(status).toBe(200);
    expect(body).toEqual({ walked: 1, skipped: 0, failed: [] });
    const refreshed = await walk(range);
    expect(fieldValue(refreshed.find((c) => c.customerId === edited!.customerId), "name")).toBe("改过的名字");
    expect(refreshed.some((c) => c.customerId === removed!.customerId)).toBe(false);
    expect(refreshed.map((c) => c.customerId)).toEqual(simulator().cluesBetween(range).map((c) => String(c.customerId)).reverse());

    // Forced again at once: the day was walked seconds ago, so it is not walked again.
    expect((await sync(range)).body).toEqual({ walked: 0, skipped: 1, failed: [] });
  });

  it("writes a lead's fresh detail back to the list, and forgets a lead Tanma no longer has", async () => {
    const day = addDays(today, -5);
    const range = { since: day, before: addDays(day, 1) };
    const [edited, removed] = await walk(range);
    simulator().editClue(Number(edited!.customerId), { fields: { name: "详情写回" } });
    simulator().removeClue(Number(removed!.customerId));
    const withId = (customerId: string) => ({ params: Promise.resolve({ customerId }) });
    expect((await getClue(new Request("http://localhost"), withId(edited!.customerId))).status).toBe(200);
    expect((await getClue(new Request("http://localhost"), withId(removed!.customerId))).status).toBe(404);
    const listed = await walk(range);
    expect(fieldValue(listed.find((c) => c.customerId === edited!.customerId), "name")).toBe("详情写回");
    expect(listed.some((c) => c.customerId === removed!.customerId)).toBe(false);
  });

  it("walks 30 days both ways while leads arrive mid-walk: every lead there at the start, each once, in order", async () => {
    const month = { since: addDays(today, -29), before: addDays(today, 1) };
    const atStart = simulator().cluesBetween(month).map((c) => String(c.customerId));
    const arrive = (pages: number) => {
      if (pages % 5 === 0) simulator().addClue();
    };
    for (const order of ["desc", "asc"] as const) {
      const ids = (await walk({ ...month, order, size: 100 }, arrive)).map((c) => c.customerId);
      expect(new Set(ids).size).toBe(ids.length);
      const expected = order === "desc" ? [...atStart].reverse() : atStart;
      expect(ids.filter((id) => atStart.includes(id))).toEqual(expected);
      // Whatever else came is a lead that arrived during the walk.
      const now = new Set(simulator().cluesBetween(month).map((c) => String(c.customerId)));
      expect(ids.filter((id) => !now.has(id))).toEqual([]);
    }
  });

  it("rejects a malformed sync request with a 400 and walks nothing", async () => {
    simulator().resetStats();
    const response = await postSync(new Request(`http://localhost/api/sync?since=${today}`, { method: "POST" }), undefined);
    expect(response.status).toBe(400);
    expect(simulator().stats().requests).toBe(0);
  });
});
