import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { GET as getClue } from "@/app/api/clues/[customerId]/route";
import { GET as getFacets } from "@/app/api/clues/facets/route";
import { POST as postSync } from "@/app/api/sync/route";
import { addDays, chinaToday } from "@/lib/china-time";
import { storeDb } from "@/lib/db/connection";
import type { ClueDetail, ClueFacetsResponse, ClueListResponse, SyncResponse } from "@/lib/clues/schema";
import { useSimulator } from "./support/simulator";

/**
 * Bad text from Tanma (a NUL, other control characters, a lone surrogate) in one lead: PostgreSQL's text and
 * jsonb refuse them, which used to fail the whole day's walk on both engines and show the failed SQL to users.
 * The lead is stored with the characters removed, and its day is stored whole.
 */
const simulator = useSimulator({ TANMA_TIMEOUT_MS: "2000" });

const today = chinaToday();
const query = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));

async function list(params: Record<string, string | number>): Promise<{ status: number; body: ClueListResponse & { error?: string } }> {
  const response = await getClueList(new Request(`http://localhost/api/clues?${query(params)}`), undefined);
  return { status: response.status, body: (await response.json()) as ClueListResponse & { error?: string } };
}

const nameOf = (item: { fields: { key: string; values: string[] }[] } | undefined) => item?.fields.find((f) => f.key === "name")?.values[0];

describe("bad text from Tanma", () => {
  it("stores a day with a NUL, control characters and a lone surrogate in one lead: every lead listed, the text cleaned", async () => {
    const day = addDays(today, -4);
    const range = { since: day, before: addDays(day, 1) };
    const bad = simulator().addClue({ createTime: `${day} 10:00:00`, name: "坏\u0000数据\u0007甲" });
    simulator().editClue(bad.customerId, { fields: { description: "第一行\n\t缩进\u001b[31m\u0000\ud800尾" } });

    const { status, body } = await list({ ...range, size: 100 });
    expect(status, body.error).toBe(200);
    expect(body.sync.stale).toBe(false);
    expect(body.sync.reason).toBeUndefined();
    expect(body.total).toBe(simulator().cluesBetween(range).length);
    const found = await list({ ...range, q: "坏数据甲" });
    expect(found.body.items.map((item) => item.customerId)).toEqual([String(bad.customerId)]);
    const stored = found.body.items[0];
    expect(nameOf(stored)).toBe("坏数据甲");
    expect(stored?.fields.find((f) => f.key === "description")?.values[0]).toBe("第一行\n\t缩进[31m\ufffd尾");

    const facets = await getFacets(new Request(`http://localhost/api/clues/facets?${query(range)}`), undefined);
    expect(facets.status).toBe(200);
    expect(((await facets.json()) as ClueFacetsResponse).total).toBe(body.total);

    const detail = await getClue(new Request(`http://localhost/api/clues/${bad.customerId}`), { params: Promise.resolve({ customerId: String(bad.customerId) }) });
    expect(detail.status).toBe(200);
    expect(nameOf((await detail.json()) as ClueDetail)).toBe("坏数据甲");
  });

  it("keeps following today after a lead with a NUL arrives, and a forced walk of the day succeeds", async () => {
    const range = { since: today, before: addDays(today, 1) };
    expect((await list(range)).status).toBe(200);
    const bad = simulator().addClue({ name: "今日\u0000坏" });
    const later = simulator().addClue({ name: "之后到达" });

    const response = await postSync(new Request(`http://localhost/api/sync?${query(range)}`, { method: "POST" }), undefined);
    const sync = (await response.json()) as SyncResponse;
    expect(response.status, JSON.stringify(sync)).toBe(200);
    expect(sync).toEqual({ walked: 1, skipped: 0, failed: [] });

    const { body } = await list({ ...range, size: 100, q: "今日坏" });
    expect(body.items.map((item) => item.customerId)).toEqual([String(bad.customerId)]);
    const after = await list({ ...range, size: 100, q: "之后到达" });
    expect(after.body.items.map((item) => item.customerId)).toEqual([String(later.customerId)]);
    expect(after.body.sync.stale).toBe(false);
  });
});

describe("a lead the store refuses", () => {
  // A real refusal by the real database: a check constraint this file's throwaway store gets for the test.
  const refusedDay = addDays(today, -9);
  afterAll(async () => {
    await (await storeDb()).execute(sql`ALTER TABLE clues DROP CONSTRAINT IF EXISTS test_refuses`);
  });

  it("costs only that lead: the rest of its day is stored; a day the store refuses whole says so in plain words, never SQL", async () => {
    const db = await storeDb();
    await db.execute(sql.raw(`ALTER TABLE clues ADD CONSTRAINT test_refuses CHECK (search_text NOT LIKE '%拒收%' AND day <> '${refusedDay}')`));
    const day = addDays(today, -8);
    const range = { since: day, before: addDays(day, 1) };
    simulator().addClue({ createTime: `${day} 09:00:00`, name: "拒收线索" });

    const { status, body } = await list({ ...range, size: 100 });
    expect(status, body.error).toBe(200);
    expect(body.sync.stale).toBe(false);
    const upstream = simulator().cluesBetween(range);
    expect(upstream.length).toBeGreaterThan(1);
    expect(body.total).toBe(upstream.length - 1);
    expect((await list({ ...range, q: "拒收线索" })).body.items).toEqual([]);

    const whole = { since: refusedDay, before: addDays(refusedDay, 1) };
    const refusedList = await list(whole);
    expect(refusedList.status).toBe(500);
    expect(refusedList.body.error).not.toMatch(/insert|select|\$1|clues/i);
    const response = await postSync(new Request(`http://localhost/api/sync?${query(whole)}`, { method: "POST" }), undefined);
    const sync = (await response.json()) as SyncResponse;
    expect(response.status).toBe(502);
    expect(sync.failed).toEqual([{ day: refusedDay, reason: { kind: "store" } }]);

    const twoDays = await list({ since: refusedDay, before: addDays(refusedDay, 2), size: 1 });
    expect(twoDays.status).toBe(200);
    expect(twoDays.body.sync).toMatchObject({ stale: true, reason: { kind: "store" } });
  });
});
