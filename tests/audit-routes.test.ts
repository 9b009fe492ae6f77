import { parse as parseContentDisposition } from "content-disposition";
import { parse as parseCsv } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditEventItem, AuditListResponse } from "@/lib/audit/schema";
import { addDays, chinaToday } from "@/lib/china-time";
import { storeDb } from "@/lib/db/connection";
import { auditEvents } from "@/lib/audit/store/tables";
import { useRealTenant } from "./support/real-tenant";

/**
 * The audit routes, called as handlers with real sessions against a real simulator and this file's own store:
 * who may read the trail, its filters and paging, its CSV export, and that the audited routes each leave
 * exactly one event.
 */

const ADMIN = "alice";
const OTHER = "bob";
const tenant = useRealTenant([ADMIN, OTHER], { env: { CLUE_DESK_ADMINS: ` ${ADMIN} , nobody-listed` } });
const cookies = new Map<string, string>();

beforeAll(async () => {
  for (const user of [ADMIN, OTHER]) cookies.set(user, await tenant.session(user));
});

const as = (user: string | null, method = "GET"): RequestInit => ({ method, headers: user === null ? {} : { cookie: cookies.get(user)! } });
const url = (path: string, query: Record<string, string> = {}) => `http://localhost${path}?${new URLSearchParams(query)}`;

async function auditList(query: Record<string, string>, user: string | null = ADMIN): Promise<Response> {
  const { GET } = await import("@/app/api/audit/route");
  return GET(new Request(url("/api/audit", query), as(user)), undefined);
}
async function auditExport(query: Record<string, string>, user: string | null = ADMIN): Promise<Response> {
  const { GET } = await import("@/app/api/audit/export/route");
  return GET(new Request(url("/api/audit/export", query), as(user)), undefined);
}
async function auditActorsOf(user: string | null): Promise<Response> {
  const { GET } = await import("@/app/api/audit/actors/route");
  return GET(new Request(url("/api/audit/actors"), as(user)), undefined);
}

/** Every event a filter matches, page by page: asserts each page is a 200 and returns the pages' events in order. */
async function walk(query: Record<string, string>, size: number): Promise<{ events: AuditEventItem[]; pages: number }> {
  const events: AuditEventItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await auditList({ ...query, size: String(size), ...(cursor === null ? {} : { cursor }) });
    const body = (await response.json()) as AuditListResponse & { error?: string };
    expect(response.status, body.error).toBe(200);
    events.push(...body.events);
    cursor = body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 1000);
  return { events, pages };
}

async function totalEvents(): Promise<number> {
  const db = await storeDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
  return row!.n;
}

/** Rows written straight to the table at given times (the routes only ever write "now"). */
async function insertAt(rows: { at: string; actor: string; action: string; target?: string }[]): Promise<void> {
  const db = await storeDb();
  await db.insert(auditEvents).values(rows.map((r) => ({ at: sql`${r.at}::timestamptz`, action: r.action, actor: r.actor, client: "10.0.0.9", target: r.target ?? null, detail: { note: r.at } })));
}

describe("who may read the audit trail", () => {
  it("answers an admin, refuses everyone else with 403 (and no session with 401)", async () => {
    expect((await auditList({})).status).toBe(200);
    expect((await auditActorsOf(ADMIN)).status).toBe(200);
    for (const response of [await auditList({}, OTHER), await auditExport({}, OTHER), await auditActorsOf(OTHER)]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/管理员.*admins only/) });
    }
    expect((await auditList({}, null)).status).toBe(401);
  });

  it("refuses a non-admin before reading the input, and records nothing for them", async () => {
    const before = await totalEvents();
    expect((await auditList({ action: "nonsense" }, OTHER)).status).toBe(403);
    expect((await auditExport({}, OTHER)).status).toBe(403);
    expect(await totalEvents()).toBe(before);
  });
});

describe("the audited routes leave one event each", () => {
  const today = chinaToday();
  const range = { since: today, before: addDays(today, 1) };

  it("a phone reveal, an export and a forced sync appear exactly once, newest first, with who did them", async () => {
    const { GET: list } = await import("@/app/api/clues/route");
    const { POST: reveal } = await import("@/app/api/clues/[customerId]/phones/route");
    const { GET: exportClues } = await import("@/app/api/clues/export/route");
    const { POST: sync } = await import("@/app/api/sync/route");

    const week = { since: addDays(today, -6), before: addDays(today, 1), size: "1" };
    const page = await list(new Request(url("/api/clues", week), as(OTHER)), undefined);
    const customerId = ((await page.json()) as { items: { customerId: string }[] }).items[0]!.customerId;

    const revealed = await reveal(new Request(url(`/api/clues/${customerId}/phones`), as(OTHER, "POST")), { params: Promise.resolve({ customerId }) });
    expect(revealed.status).toBe(200);
    const exported = await exportClues(new Request(url("/api/clues/export", { ...range, format: "csv" }), as(OTHER)), undefined);
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    const synced = await sync(new Request(url("/api/sync", range), as(OTHER, "POST")), undefined);
    expect(synced.status).toBe(200);

    const { events } = await walk({ actor: OTHER }, 100);
    expect(events.map((e) => e.action)).toEqual(["forced_sync", "export", "phone_reveal"]);
    const [forced, exportEvent, revealEvent] = events;
    expect(revealEvent).toMatchObject({ actor: OTHER, target: customerId, at: expect.stringMatching(new RegExp(`^${today} \\d{2}:\\d{2}:\\d{2}$`)) });
    const wallRange = { since: `${range.since} 00:00:00`, before: `${range.before} 00:00:00` };
    expect(exportEvent).toMatchObject({ detail: { format: "csv", rows: expect.any(Number), filters: expect.objectContaining(wallRange) } });
    expect(forced).toMatchObject({ detail: { ...wallRange, days: 1 } });
    // The same events through the action filter.
    for (const action of ["phone_reveal", "export", "forced_sync"]) {
      expect((await walk({ actor: OTHER, action }, 100)).events).toHaveLength(1);
    }
  });
});

describe("filters and paging", () => {
  // China midnight of 2024-03-10 is 2024-03-09 16:00 UTC.
  beforeAll(async () => {
    await insertAt([
      { at: "2024-03-09T15:59:59.999999Z", actor: "carol", action: "sign_in" },
      { at: "2024-03-09T16:00:00Z", actor: "carol", action: "export" },
      { at: "2024-03-10T15:59:59Z", actor: "dave", action: "phone_reveal", target: "123" },
      { at: "2024-03-10T16:00:00Z", actor: "carol", action: "sign_in_failed" },
    ]);
    // Many events in one microsecond (and around it): pages must split them by id without a gap or a repeat.
    const same = "2024-05-01T04:00:00.123456Z";
    await insertAt([
      ...Array.from({ length: 23 }, () => ({ at: same, actor: "erin", action: "forced_sync" })),
      { at: "2024-05-01T04:00:00.123455Z", actor: "erin", action: "export" },
      { at: "2024-05-01T04:00:00.123457Z", actor: "erin", action: "export" },
    ]);
  });

  it("takes China days: since inclusive, before exclusive, whatever the server's zone", async () => {
    const day = (await walk({ since: "2024-03-10", before: "2024-03-11" }, 100)).events;
    expect(day.map((e) => [e.at, e.actor, e.action])).toEqual([
      ["2024-03-10 23:59:59", "dave", "phone_reveal"],
      ["2024-03-10 00:00:00", "carol", "export"],
    ]);
    expect((await walk({ before: "2024-03-10" }, 100)).events.map((e) => e.at)).toEqual(["2024-03-09 23:59:59"]);
    expect((await walk({ since: "2024-03-11", before: "2024-03-12" }, 100)).events.map((e) => e.action)).toEqual(["sign_in_failed"]);
  });

  it("filters by user and by action, together with days", async () => {
    expect((await walk({ actor: "carol" }, 100)).events.map((e) => e.action)).toEqual(["sign_in_failed", "export", "sign_in"]);
    expect((await walk({ actor: "carol", action: "export" }, 100)).events.map((e) => e.at)).toEqual(["2024-03-10 00:00:00"]);
    expect((await walk({ action: "phone_reveal", since: "2024-03-01", before: "2024-04-01" }, 100)).events.map((e) => e.target)).toEqual(["123"]);
    expect((await walk({ actor: "nobody" }, 100)).events).toEqual([]);
    const actors = await auditActorsOf(ADMIN);
    expect(((await actors.json()) as { actors: string[] }).actors).toEqual(expect.arrayContaining(["carol", "dave", "erin"]));
  });

  it("pages newest first through equal times with no repeat and no gap", async () => {
    const whole = (await walk({ actor: "erin" }, 100)).events;
    expect(whole).toHaveLength(25);
    const { events, pages } = await walk({ actor: "erin" }, 4);
    expect(pages).toBe(7);
    expect(events.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    expect(new Set(events.map((e) => e.id)).size).toBe(25);
    // Newest first: the later microsecond, then the shared one by id descending, then the earlier one.
    expect(events[0]!.action).toBe("export");
    expect(events.at(-1)!.action).toBe("export");
    const shared = events.slice(1, -1).map((e) => e.id);
    expect(shared).toEqual([...shared].sort((a, b) => b - a));
  });

  it("answers 400, records nothing, for bad input: unknown action, unreal day, empty range, forged or replayed cursor", async () => {
    const first = (await (await auditList({ actor: "erin", size: "2" })).json()) as AuditListResponse;
    expect(first.nextCursor).not.toBeNull();
    const before = await totalEvents();
    const bad: Record<string, string>[] = [
      { action: "delete_everything" },
      { since: "2024-02-30" },
      { before: "20240301" },
      { since: "2024-03-10", before: "2024-03-10" },
      { since: "2024-03-11", before: "2024-03-10" },
      { size: "0" },
      { size: "many" },
      { actor: "" },
      { order: "asc" },
      { actor: "erin", cursor: "forged.cursor" },
      { actor: "erin", cursor: `${first.nextCursor!.slice(0, -2)}xx` },
      { actor: "carol", cursor: first.nextCursor! },
      { actor: "erin", action: "export", cursor: first.nextCursor! },
      { actor: "\u0000" },
      { actor: "erin\u0000" },
      { actor: "erin\u001b" },
      { ["__proto__"]: "1" },
      { constructor: "1" },
    ];
    for (const query of bad) {
      const response = await auditList(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(await response.json()).toEqual({ error: expect.any(String) });
      const exported = await auditExport(query);
      expect(exported.status, `export ${JSON.stringify(query)}`).toBe(400);
    }
    for (const query of bad.filter((q) => q.cursor === undefined && q.size === undefined)) {
      expect((await auditExport(query)).status, JSON.stringify(query)).toBe(400);
    }
    expect((await auditExport({ cursor: first.nextCursor! })).status).toBe(400);
    const repeated = await (await import("@/app/api/audit/route")).GET(new Request("http://localhost/api/audit?actor=a&actor=b", as(ADMIN)), undefined);
    expect(repeated.status).toBe(400);
    expect(await totalEvents()).toBe(before);
  });
});

describe("GET /api/audit/export", () => {
  it("streams every matching event newest first as CSV with a BOM, and records itself exactly once", async () => {
    const query = { since: "2024-03-01", before: "2024-06-01" };
    const expected = (await walk(query, 100)).events;
    const response = await auditExport(query);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(parseContentDisposition(response.headers.get("content-disposition")!).parameters.filename).toBe(`审计日志_${chinaToday()}.csv`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes, { bom: true }) as string[][];
    expect(header).toEqual(["时间", "操作", "用户", "客户端地址", "对象", "详情"]);
    expect(rows).toHaveLength(expected.length);
    const labels: Record<string, string> = { sign_in: "登录", export: "导出", phone_reveal: "查看号码", sign_in_failed: "登录失败", forced_sync: "强制同步" };
    expect(rows).toEqual(expected.map((e) => [e.at, labels[e.action], e.actor, "10.0.0.9", e.target ?? "", JSON.stringify(e.detail)]));
    expect(rows[0]).toEqual(["2024-05-01 12:00:00", "导出", "erin", "10.0.0.9", "", JSON.stringify({ note: "2024-05-01T04:00:00.123457Z" })]);

    const recorded = (await walk({ action: "audit_export" }, 100)).events;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ actor: ADMIN, detail: { filters: query, rows: expected.length, format: "csv" } });
    // The export's own event is not in the file it wrote, and an export of everything lists it afterwards.
    const everything = parseCsv(Buffer.from(await (await auditExport({ action: "audit_export" })).arrayBuffer()), { bom: true }) as string[][];
    expect(everything.slice(1).map((row) => row[1])).toEqual(["导出审计日志"]);
    expect((await walk({ action: "audit_export" }, 100)).events).toHaveLength(2);
  });
});

describe("exports a page of another site starts", () => {
  const today = chinaToday();
  const range = { since: today, before: addDays(today, 1) };
  const exportAs = async (path: "/api/clues/export" | "/api/audit/export", user: string, headers: Record<string, string>) => {
    const { GET } = path === "/api/clues/export" ? await import("@/app/api/clues/export/route") : await import("@/app/api/audit/export/route");
    const query = path === "/api/clues/export" ? { ...range, format: "csv" } : range;
    return GET(new Request(url(path, query), { headers: { cookie: cookies.get(user)!, ...headers } }), undefined);
  };

  it("are refused with 403 and recorded nowhere, while our own pages (and scripts without browser headers) still export", async () => {
    const hostile: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" },
      // Another port of our host is the same site but another origin, as for writes.
      { "sec-fetch-site": "same-site", "sec-fetch-mode": "navigate" },
      { origin: "http://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" },
      { origin: "http://evil.example" },
    ];
    const before = await totalEvents();
    for (const headers of hostile) {
      for (const [path, user] of [["/api/clues/export", OTHER], ["/api/audit/export", ADMIN]] as const) {
        const response = await exportAs(path, user, headers);
        expect({ path, headers, status: response.status }).toEqual({ path, headers, status: 403 });
        expect(await response.json()).toEqual({ error: expect.stringContaining("cross-origin") });
      }
    }
    expect(await totalEvents()).toBe(before);
    const own: Record<string, string>[] = [
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" }, // the export menu's fetch
      { "sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" }, // 审计日志's download link
      { "sec-fetch-site": "none", "sec-fetch-mode": "navigate" }, // the URL typed or bookmarked
      {}, // curl and scripts: no browser headers, so no page of another site behind them
    ];
    for (const headers of own) {
      for (const [path, user] of [["/api/clues/export", OTHER], ["/api/audit/export", ADMIN]] as const) {
        const response = await exportAs(path, user, headers);
        expect({ path, headers, status: response.status }).toEqual({ path, headers, status: 200 });
        await response.arrayBuffer();
      }
    }
    expect(await totalEvents()).toBe(before + own.length * 2);
  });
});
