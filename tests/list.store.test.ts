import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueItem, ClueListResponse } from "@/lib/clues/schema";
import { decodeFieldValues } from "@/lib/clues/normalize";
import type { UpstreamClue } from "@/lib/tanma/schemas";
import { useSimulator } from "./support/simulator";
import { storeDataDir, storeEngine } from "./support/store";

/** The lead store through the list route, on the engine the run names (PGlite, or PostgreSQL under test:pg). */
const simulator = useSimulator({ TANMA_TIMEOUT_MS: "2000", STORE_LIVE_INTERVAL_S: "3600" });

const today = chinaToday();

function listRequest(query: Record<string, string | number | string[]>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) params.append(key, String(v));
  return getClueList(new Request(`http://localhost/api/clues?${params}`), undefined);
}

async function page(query: Record<string, string | number | string[]>): Promise<ClueListResponse> {
  const response = await listRequest(query);
  const body = (await response.json()) as ClueListResponse & { error?: string };
  expect(response.status, body.error).toBe(200);
  return body;
}

async function walk(query: Record<string, string | number | string[]>): Promise<{ items: ClueItem[]; last: ClueListResponse }> {
  const items: ClueItem[] = [];
  let cursor: string | null = null;
  let last: ClueListResponse;
  do {
    last = await page(cursor ? { ...query, cursor } : query);
    items.push(...last.items);
    cursor = last.nextCursor;
  } while (cursor !== null);
  return { items, last };
}

/** The simulator's own records of a range, ascending: the truth the store must match. */
function truth(since: string, before: string): UpstreamClue[] {
  return simulator().dataset.clues.filter((c) => c.createTime >= `${since} 00:00:00` && c.createTime < `${before} 00:00:00`);
}

const mobilesOf = (clue: UpstreamClue) => clue.fields.filter((f) => f.type === 8).flatMap((f) => decodeFieldValues(f.type, f.valueAsText));

describe("lead store: list reads", () => {
  const month = { since: addDays(today, -29), before: addDays(today, 1) };

  it("answers a cold 30-day range newest first; walked both ways it is exactly the simulator's records, each once", async () => {
    const expected = truth(month.since, month.before).map((c) => String(c.customerId));
    const newest = await walk({ ...month, size: 100 });
    const oldest = await walk({ ...month, order: "asc", size: 77 });
    expect(expected.length).toBeGreaterThan(1000);
    expect(oldest.items.map((c) => c.customerId)).toEqual(expected);
    expect(newest.items.map((c) => c.customerId)).toEqual([...expected].reverse());
    expect(newest.last.total).toBe(expected.length);
    expect(newest.last.sync).toMatchObject({ stale: false, pendingDays: 0, days: 30 });
  });

  it("reads a stored range again without calling Tanma", async () => {
    simulator().resetStats();
    const second = await walk({ ...month, size: 100, type: 2 });
    expect(second.items.length).toBeGreaterThan(0);
    expect(simulator().stats().byPath["/api/v3/clue/list-by-create-time-asc"] ?? 0).toBe(0);
  });

  it("keeps no full phone number at rest", async () => {
    const numbers = truth(month.since, month.before).flatMap(mobilesOf);
    expect(numbers.length).toBeGreaterThan(500);
    if (storeEngine() === "pglite") {
      const files: string[] = [];
      const visit = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const file = path.join(dir, name);
          if (statSync(file).isDirectory()) visit(file);
          else files.push(file);
        }
      };
      visit(storeDataDir());
      expect(files.length).toBeGreaterThan(10);
      // Every 11-digit run in any file (text, WAL, heap pages), against the simulator's numbers.
      const runs = new Set(files.flatMap((f) => readFileSync(f).toString("latin1").match(/\d{11}/g) ?? []));
      expect(numbers.filter((number) => runs.has(number))).toEqual([]);
    } else {
      const { storeDb, rows } = await import("@/lib/db/connection");
      const { sql } = await import("drizzle-orm");
      const dump = (await rows<{ text: string }>(await storeDb(), sql`SELECT string_agg(c::text, ' ') AS text FROM clues c`))[0]!.text;
      expect(dump.length).toBeGreaterThan(10_000);
      const runs = new Set(dump.match(/\d{11}/g) ?? []);
      expect(numbers.filter((number) => runs.has(number))).toEqual([]);
    }
  });

  it("finds a lead by a whole mobile number, by four visible digits, and by part of a name", async () => {
    const target = truth(month.since, month.before).find((c) => mobilesOf(c).length === 1)!;
    const number = mobilesOf(target)[0]!;
    const byNumber = await walk({ ...month, q: number });
    expect(byNumber.items.map((c) => c.customerId)).toContain(String(target.customerId));
    expect(byNumber.items.every((c) => c.fields.some((f) => f.key === "mobile" && f.values.includes(`${number.slice(0, 3)}****${number.slice(-4)}`)))).toBe(true);
    const spaced = await walk({ ...month, q: `+86 ${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}` });
    expect(spaced.items.map((c) => c.customerId)).toContain(String(target.customerId));

    const byDigits = await walk({ ...month, q: number.slice(-4) });
    expect(byDigits.items.map((c) => c.customerId)).toContain(String(target.customerId));
    expect(byDigits.last.total).toBe(byDigits.items.length);

    const name = target.fields.find((f) => f.field === "name")!.valueAsText!;
    const byName = await walk({ ...month, q: name.slice(1) });
    expect(byName.items.map((c) => c.customerId)).toContain(String(target.customerId));
    const expectedByName = truth(month.since, month.before).filter((c) =>
      [c.fields.find((f) => f.field === "name")?.valueAsText, c.fields.find((f) => f.field === "corp_name")?.valueAsText, c.fields.find((f) => f.field === "description")?.valueAsText, c.companyInfo?.name]
        .some((text) => text?.toLowerCase().includes(name.slice(1).toLowerCase())),
    );
    expect(byName.last.total).toBe(expectedByName.length);
  });

  it("filters by status, tag and select field, combined with AND and counted in total", async () => {
    const records = truth(month.since, month.before);
    const tag = records.find((c) => c.tagIds && c.tagIds.length > 0)!.tagIds![0]!;
    const stage = records.flatMap((c) => c.fields.filter((f) => f.field === "customer_stage" && f.valueAsText))[0]!.valueAsText!;
    const expected = records.filter(
      (c) => !c.isClue && c.tagIds?.includes(tag) && c.fields.some((f) => f.field === "customer_stage" && f.valueAsText === stage),
    );
    const filtered = await walk({ ...month, status: "unassigned", tag, customer_stage: stage, size: 10 });
    expect(filtered.items.map((c) => c.customerId).sort()).toEqual(expected.map((c) => String(c.customerId)).sort());
    expect(filtered.last.total).toBe(expected.length);
  });

  it.each([
    [{ no_such_field: "1" }, /unknown parameter: no_such_field/],
    [{ q: "x".repeat(51) }, /q may be at most 50 characters/],
    [{ q: "   " }, /q must not be blank/],
    [{ order: "up" }, /order must be desc/],
    [{ status: "x" }, /status must be clue/],
    [{ tag: Array.from({ length: 51 }, (_, i) => `et${i}`) }, /at most 50 values/],
    [{ cursor: "made-up" }, /cursor is not one this server issued/],
    [{ "bad-key!": "1" }, /unknown parameter/],
  ])("rejects %j with a 400 and no upstream call", async (extra, message) => {
    simulator().resetStats();
    const response = await listRequest({ ...month, ...extra });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(simulator().stats().requests).toBe(0);
  });

  it("rejects a cursor issued for the other order", async () => {
    const first = await page({ ...month, size: 5 });
    const response = await listRequest({ ...month, order: "asc", size: 5, cursor: first.nextCursor! });
    expect(response.status).toBe(400);
  });
});

describe("lead store: search index", () => {
  it("backfills the two-character grams in SQL exactly as the writer computes them", async () => {
    const { readFileSync } = await import("node:fs");
    const { storeDb, rows } = await import("@/lib/db/connection");
    const { sql } = await import("drizzle-orm");
    const { searchGrams } = await import("@/lib/clues/store/records");
    await walk({ since: addDays(today, -2), before: addDays(today, -1) });
    const db = await storeDb();
    const written = await rows<{ id: string; grams: string[]; text: string; phones: string }>(
      db,
      sql`SELECT customer_id::text AS id, search_grams AS grams, search_text AS text, phones_masked AS phones FROM clues ORDER BY customer_id LIMIT 100`,
    );
    expect(written.length).toBe(100);
    for (const row of written) expect([...row.grams].sort()).toEqual(searchGrams(`${row.text}\n${row.phones}`).sort());
    const migration = readFileSync("lib/db/migrations/0003_search_grams.sql", "utf8").split("--> statement-breakpoint").at(-1)!;
    await db.execute(sql`UPDATE clues SET search_grams = '{}'`);
    await db.execute(sql.raw(migration));
    const backfilled = await rows<{ id: string; grams: string[] }>(db, sql`SELECT customer_id::text AS id, search_grams AS grams FROM clues ORDER BY customer_id LIMIT 100`);
    expect(backfilled.map((r) => [r.id, [...r.grams].sort()])).toEqual(written.map((r) => [r.id, [...r.grams].sort()]));
  });
});

describe("lead store: a cold range's first answers", () => {
  it("say the total is not final while days are pending, never date the copy at the epoch, and end final and exact", async () => {
    // A slow Tanma, so the first page is answered while most of the week is still being walked.
    simulator().setKnobs({ latencyMs: 150 });
    const week = { since: addDays(today, -75), before: addDays(today, -68) };
    const startedAt = Date.now();
    try {
      const first = await page({ ...week, size: 20 });
      expect(first.sync.pendingDays).toBeGreaterThan(0);
      expect(first.totalFinal).toBe(false);
      expect(first.sync.syncedAt).not.toBeNull();
      expect(Date.parse(first.sync.syncedAt!)).toBeGreaterThanOrEqual(startedAt);
      expect(first.total).toBeLessThan(truth(week.since, week.before).length);

      let latest = first;
      await expect.poll(async () => (latest = await page({ ...week, size: 20 })).sync.pendingDays, { timeout: 60_000 }).toBe(0);
      expect(latest.totalFinal).toBe(true);
      expect(latest.total).toBe(truth(week.since, week.before).length);
      expect(Date.parse(latest.sync.syncedAt!)).toBeGreaterThanOrEqual(startedAt);
    } finally {
      simulator().setKnobs({ latencyMs: 0 });
    }
  });
});

describe("lead store: upstream failures", () => {
  const older = { since: addDays(today, -59), before: addDays(today, -29) };

  it("walks a cold range exactly under 20% injected upstream failures", async () => {
    simulator().setKnobs({ errorRate: 0.2, errorMode: "http503" });
    try {
      const expected = truth(older.since, older.before).map((c) => String(c.customerId)).reverse();
      const listed = await walk({ ...older, size: 100 });
      // A day whose walk failed even after retries is retried by the next read; read until the range is in.
      let items = listed.items;
      for (let attempt = 0; attempt < 5 && items.length < expected.length; attempt++) items = (await walk({ ...older, size: 100 })).items;
      expect(items.map((c) => c.customerId)).toEqual(expected);
    } finally {
      simulator().setKnobs({ errorRate: 0 });
    }
  });

  it("serves stored days when Tanma is down, marked stale with the reason", async () => {
    const { syncDay } = await import("@/lib/clues/store/sync");
    const day = addDays(today, -40);
    const before = await walk({ since: day, before: addDays(day, 1) });
    simulator().setKnobs({ errorRate: 1, errorMode: "http503" });
    try {
      await expect(syncDay(day)).rejects.toThrow();
      const after = await walk({ since: day, before: addDays(day, 1) });
      expect(after.items.map((c) => c.customerId)).toEqual(before.items.map((c) => c.customerId));
      expect(after.last.sync.stale).toBe(true);
      expect(after.last.sync.reason).toEqual({ kind: "unreachable", code: "HTTP 503" });
      expect(after.last.sync.syncedAt).not.toBeNull();
    } finally {
      simulator().setKnobs({ errorRate: 0 });
    }
  });

  it("answers a never-stored range with the upstream failure when Tanma is down", async () => {
    simulator().setKnobs({ errorRate: 1, errorMode: "http503" });
    try {
      const response = await listRequest({ since: addDays(today, -100), before: addDays(today, -99) });
      expect(response.status).toBe(502);
    } finally {
      simulator().setKnobs({ errorRate: 0 });
    }
  });
});
