import { parse as parseContentDisposition } from "content-disposition";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as getExport } from "@/app/api/clues/export/route";
import { GET as getFacets } from "@/app/api/clues/facets/route";
import { GET as getClueList } from "@/app/api/clues/route";
import { addDays, chinaToday, formatChinaWallTime } from "@/lib/china-time";
import type { ClueFacetsResponse, ClueListResponse } from "@/lib/clues/schema";
import { decodeFieldValues } from "@/lib/clues/normalize";
import { FIELD_TYPE } from "@/lib/tanma/field-types";
import type { UpstreamClue } from "@/lib/tanma/schemas";
import { useSimulator } from "./support/simulator";

/**
 * Facets and export of the lead store through their route handlers, against the simulator's own data, on the
 * engine the run names (PGlite, or PostgreSQL with TEST_POSTGRES_URL). The export limit is lowered so that a
 * 30-day range is over it and a filtered one is not.
 */
const EXPORT_MAX_ROWS = 3000;
const simulator = useSimulator({ TANMA_TIMEOUT_MS: "2000", STORE_LIVE_INTERVAL_S: "3600", EXPORT_MAX_ROWS: String(EXPORT_MAX_ROWS) });

const today = chinaToday();
const month = { since: addDays(today, -29), before: addDays(today, 1) };

type Query = Record<string, string | number | string[]>;

function request(path: string, query: Query): Request {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) params.append(key, String(v));
  return new Request(`http://localhost${path}?${params}`);
}

async function facets(query: Query): Promise<ClueFacetsResponse> {
  const response = await getFacets(request("/api/clues/facets", query), undefined);
  const body = (await response.json()) as ClueFacetsResponse & { error?: string };
  expect(response.status, body.error).toBe(200);
  return body;
}

const exportRequest = (query: Query) => getExport(request("/api/clues/export", query), undefined);

// ---- The truth: the simulator's own records, filtered the way the API documents its filters. ----

const SELECT_TYPES: ReadonlySet<number> = new Set([FIELD_TYPE.singleSelect, FIELD_TYPE.multiSelect]);

type TruthFilter = { type?: 1 | 2; status?: "clue" | "unassigned"; tag?: string[]; fields?: Record<string, string[]> };
/** A dimension left out, as a facet leaves out its own: "type", "status", "tag" or a select field key. */
type Without = "type" | "status" | "tag" | { field: string };

function selectValues(clue: UpstreamClue): Map<string, string[]> {
  return new Map(clue.fields.filter((f) => SELECT_TYPES.has(f.type)).map((f) => [f.field, decodeFieldValues(f.type, f.valueAsText ?? null)]));
}

function inRange(since: string, before: string): UpstreamClue[] {
  return simulator().dataset.clues.filter((c) => c.createTime >= `${since} 00:00:00` && c.createTime < `${before} 00:00:00`);
}

function matching(records: UpstreamClue[], filter: TruthFilter, without?: Without): UpstreamClue[] {
  return records.filter((c) => {
    if (filter.type !== undefined && without !== "type" && c.type !== filter.type) return false;
    if (filter.status !== undefined && without !== "status" && c.isClue !== (filter.status === "clue")) return false;
    if (filter.tag && without !== "tag" && !filter.tag.some((t) => c.tagIds?.includes(t))) return false;
    const values = selectValues(c);
    return Object.entries(filter.fields ?? {}).every(
      ([key, items]) => (typeof without === "object" && without.field === key) || items.some((item) => values.get(key)?.includes(item)),
    );
  });
}

function tally(keys: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

const typeCounts = (records: UpstreamClue[]) => ({ "1": 0, "2": 0, ...tally(records.map((c) => String(c.type))) });
const statusCounts = (records: UpstreamClue[]) => ({ clue: 0, unassigned: 0, ...tally(records.map((c) => (c.isClue ? "clue" : "unassigned"))) });
const tagCounts = (records: UpstreamClue[]) => tally(records.flatMap((c) => [...new Set(c.tagIds ?? [])]));
const fieldCounts = (records: UpstreamClue[], key: string) => tally(records.flatMap((c) => [...new Set(selectValues(c).get(key) ?? [])]));

const filterQuery = (filter: TruthFilter): Query => ({
  ...(filter.type ? { type: filter.type } : {}),
  ...(filter.status ? { status: filter.status } : {}),
  ...(filter.tag ? { tag: filter.tag } : {}),
  ...filter.fields,
});

describe("facets", () => {
  it("counts a 30-day range exactly as the simulator's data, per dimension and per day", async () => {
    const records = inRange(month.since, month.before);
    const counted = await facets(month);
    expect(records.length).toBeGreaterThan(1000);
    expect(counted.total).toBe(records.length);
    expect(counted.type).toEqual(typeCounts(records));
    expect(counted.status).toEqual(statusCounts(records));
    expect(counted.tags).toEqual(tagCounts(records));
    for (const key of ["customer_stage", "gender", "custom_401300000000001"]) expect(counted.fields[key]).toEqual(fieldCounts(records, key));
    expect(counted.sync).toMatchObject({ stale: false, pendingDays: 0, days: 30 });

    expect(counted.histogram.map((b) => b.start)).toEqual(Array.from({ length: 30 }, (_, i) => addDays(month.since, i)));
    expect(counted.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(counted.total);
    for (const bucket of counted.histogram) {
      const day = records.filter((c) => c.createTime.startsWith(bucket.start));
      expect(bucket).toEqual({ start: bucket.start, count: day.length, byType: typeCounts(day), byStatus: statusCounts(day) });
    }
    // A cold 30-day range is walked first: on a busy machine that takes a while.
  }, 120_000);

  it("counts each dimension with every filter but its own", async () => {
    const records = inRange(month.since, month.before);
    const tag = Object.entries(tagCounts(records)).sort((a, b) => b[1] - a[1])[0]![0];
    const filter: TruthFilter = { type: 2, status: "unassigned", tag: [tag], fields: { customer_stage: [String(396823724189760), String(396823724189760 + 4096)] } };
    const counted = await facets({ ...month, ...filterQuery(filter) });

    const all = matching(records, filter);
    expect(all.length).toBeGreaterThan(10);
    expect(counted.total).toBe(all.length);
    expect(counted.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(all.length);
    expect(counted.type).toEqual(typeCounts(matching(records, filter, "type")));
    expect(counted.status).toEqual(statusCounts(matching(records, filter, "status")));
    expect(counted.tags).toEqual(tagCounts(matching(records, filter, "tag")));
    // The filtered field counts without its own filter; any other field with every filter.
    expect(counted.fields.customer_stage).toEqual(fieldCounts(matching(records, filter, { field: "customer_stage" }), "customer_stage"));
    expect(Object.keys(counted.fields.customer_stage!).length).toBeGreaterThan(2);
    expect(counted.fields.gender).toEqual(fieldCounts(all, "gender"));
    // Leaving its own filter out is what makes the other values visible: type 1 is filtered away, yet counted.
    expect(counted.type["1"]).toBeGreaterThan(0);
    expect(counted.type["2"]).toBe(all.length);
  });

  it("agrees with the list's total for a text search", async () => {
    const name = inRange(month.since, month.before).find((c) => c.fields.some((f) => f.field === "name" && f.valueAsText))!;
    const q = name.fields.find((f) => f.field === "name")!.valueAsText!.slice(0, 1);
    const counted = await facets({ ...month, q });
    const listed = (await (await getClueList(request("/api/clues", { ...month, q, size: 1 }), undefined)).json()) as ClueListResponse;
    expect(counted.total).toBeGreaterThan(0);
    expect(counted.total).toBe(listed.total);
  });

  it("buckets a range of 2 days or less per hour, every hour up to now included", async () => {
    const yesterday = addDays(today, -1);
    const day = await facets({ since: yesterday, before: today });
    const records = inRange(yesterday, today);
    expect(day.histogram.map((b) => b.start)).toEqual(Array.from({ length: 24 }, (_, h) => `${yesterday} ${String(h).padStart(2, "0")}:00:00`));
    for (const bucket of day.histogram) expect(bucket.count).toBe(records.filter((c) => c.createTime.startsWith(bucket.start.slice(0, 13))).length);
    expect(day.histogram.some((b) => b.count === 0)).toBe(true);
    expect(day.total).toBe(records.length);

    const chinaHour = () => formatChinaWallTime(Date.now()).slice(0, 13);
    const hourBefore = chinaHour();
    const todaySoFar = await facets({ since: today, before: addDays(today, 1) });
    // The last bucket is the current hour (read on either side of the call, should an hour turn meanwhile).
    const lastHour = todaySoFar.histogram.at(-1)!.start.slice(0, 13);
    expect([hourBefore, chinaHour()]).toContain(lastHour);
    expect(todaySoFar.histogram).toHaveLength(Number(lastHour.slice(11)) + 1);
    expect(todaySoFar.total).toBe(inRange(today, addDays(today, 1)).length);
  });

  it.each([
    [{ no_such_field: "1" }, /unknown parameter: no_such_field/],
    [{ format: "csv" }, /unknown parameter: format/],
    [{ cursor: "abc" }, /unknown parameter: cursor/],
    [{ q: "x".repeat(51) }, /q may be at most 50 characters/],
    [{ status: "gone" }, /status must be clue/],
  ])("rejects %j with a 400 and no upstream call", async (extra, message) => {
    simulator().resetStats();
    const response = await getFacets(request("/api/clues/facets", { ...month, ...extra }), undefined);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(simulator().stats().requests).toBe(0);
  });
});

// ---- Export ----

const mobileNumbers = (records: readonly UpstreamClue[]) =>
  records.flatMap((c) => c.fields.filter((f) => f.type === FIELD_TYPE.phone).flatMap((f) => decodeFieldValues(f.type, f.valueAsText ?? null)));

function itemLabels(): Map<string, string> {
  return new Map(simulator().dataset.customerFields.flatMap((f) => (f.items ?? []).map((i) => [String(i.id), i.name] as const)));
}

describe("export", () => {
  const companies = { ...month, type: 2 };
  const audit = vi.spyOn(console, "info");
  afterEach(() => audit.mockClear());

  const auditLines = () =>
    audit.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"audit_export"')).map((line) => JSON.parse(line) as Record<string, unknown>);

  async function exportCsv(query: Query): Promise<{ response: Response; bytes: Buffer; rows: string[][] }> {
    const response = await exportRequest({ ...query, format: "csv" });
    expect(response.status, response.status === 200 ? "" : await response.clone().text()).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    return { response, bytes, rows: parseCsv(bytes, { bom: true, relax_column_count: false }) as string[][] };
  }

  it("streams every matching lead once as CSV: BOM, Chinese headers, labels, masked phones, newest first", async () => {
    const expected = matching(inRange(month.since, month.before), { type: 2 }).reverse();
    expect(expected.length).toBeGreaterThan(500);
    expect(expected.length).toBeLessThanOrEqual(EXPORT_MAX_ROWS);
    const { response, bytes, rows } = await exportCsv(companies);

    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const disposition = parseContentDisposition(response.headers.get("content-disposition")!);
    expect(disposition.type).toBe("attachment");
    expect(disposition.parameters.filename).toBe(`线索_${month.since}_${today}_企业.csv`);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename=clues_${month.since}_${today}_company.csv; filename*=UTF-8''${encodeURIComponent(`线索_${month.since}_${today}_企业.csv`)}`,
    );
    expect(bytes.toString("utf8")).toContain("\r\n");

    const [header, ...body] = rows;
    expect(header).toEqual(expect.arrayContaining(["客户 ID", "类型", "状态", "姓名", "手机号", "客户阶段", "意向产品", "公司", "标签", "创建时间", "更新时间"]));
    expect(body.map((row) => row[0])).toEqual(expected.map((c) => String(c.customerId)));
    expect(new Set(body.map((row) => row[1]))).toEqual(new Set(["企业"]));
    const column = (label: string) => header!.indexOf(label);
    expect(body.map((row) => row[column("状态")])).toEqual(expected.map((c) => (c.isClue ? "线索" : "待分配客户")));
    expect(body.map((row) => row[column("创建时间")])).toEqual(expected.map((c) => c.createTime));
    expect(body.map((row) => row[column("公司")])).toEqual(expected.map((c) => c.companyInfo?.name ?? ""));

    // Select fields as labels (an item the dictionary lost shows its id), multi-select joined with 、.
    const labels = itemLabels();
    for (const [key, label] of [["customer_stage", "客户阶段"], ["custom_401300000000001", "意向产品"]] as const) {
      const shown = body.map((row) => row[column(label)]);
      expect(shown).toEqual(expected.map((c) => (selectValues(c).get(key) ?? []).map((id) => labels.get(id) ?? id).join("、")));
      expect(shown.filter((v) => /^\d+$/.test(v!)).length).toBeLessThan(shown.length / 20);
    }
    expect(body.some((row) => row[column("意向产品")]!.includes("、"))).toBe(true);

    // Tags by name.
    const tagNames = new Map(simulator().dataset.tagTree.flatMap((g) => g.tags.map((t) => [t.qwTagId, t.name] as const)));
    const tagged = expected.findIndex((c) => (c.tagIds ?? []).length > 1 && c.tagIds!.every((t) => tagNames.has(t)));
    expect(body[tagged]![column("标签")]).toBe(expected[tagged]!.tagIds!.map((t) => tagNames.get(t)).join("、"));

    // Phones masked: no full number of the whole data set appears; the shown ones are the masked forms.
    const text = bytes.toString("utf8");
    const runs = new Set(text.match(/\d{11}/g) ?? []);
    expect(mobileNumbers(simulator().dataset.clues).filter((n) => runs.has(n))).toEqual([]);
    const withPhone = expected.findIndex((c) => mobileNumbers([c]).length === 1);
    const number = mobileNumbers([expected[withPhone]!])[0]!;
    expect(body[withPhone]![column("手机号")]).toBe(`${number.slice(0, 3)}****${number.slice(-4)}`);

    // One audit line, with the count and the filters.
    expect(auditLines()).toEqual([
      expect.objectContaining({ event: "audit_export", user: "anonymous (sign-in off)", rows: expected.length, format: "csv", filters: expect.objectContaining({ type: 2 }) }),
    ]);
  });

  it("exports the same rows as XLSX", async () => {
    const { rows } = await exportCsv(companies);
    const response = await exportRequest({ ...companies, format: "xlsx" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(parseContentDisposition(response.headers.get("content-disposition")!).parameters.filename).toBe(`线索_${month.since}_${today}_企业.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    const cells: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      cells.push(Array.from({ length: rows[0]!.length }, (_, i) => String(row.getCell(i + 1).value ?? "")));
    });
    // CSV escapes a cell that starts like a formula with a quote; XLSX cells are typed strings and need none.
    expect(cells).toEqual(rows.map((row) => row.map((cell) => cell.replace(/^'(?=[=+\-@])/, ""))));
    expect(cells.length).toBe(matching(inRange(month.since, month.before), { type: 2 }).length + 1);
  });

  it("respects the order and the other filters, and marks them in the file name", async () => {
    const records = inRange(month.since, month.before);
    const tag = Object.keys(tagCounts(records))[0]!;
    const { response, rows } = await exportCsv({ ...month, order: "asc", status: "clue", tag });
    const expected = matching(records, { status: "clue", tag: [tag] });
    expect(rows.slice(1).map((row) => row[0])).toEqual(expected.map((c) => String(c.customerId)));
    expect(parseContentDisposition(response.headers.get("content-disposition")!).parameters.filename).toBe(`线索_${month.since}_${today}_线索_筛选.csv`);
  });

  it("finds a lead by its whole mobile number and keeps the number out of the audit line", async () => {
    const target = matching(inRange(month.since, month.before), { type: 2 }).find((c) => mobileNumbers([c]).length === 1)!;
    const number = mobileNumbers([target])[0]!;
    const { rows } = await exportCsv({ ...companies, q: number });
    expect(rows.slice(1).map((row) => row[0])).toContain(String(target.customerId));
    const [line] = auditLines();
    expect((line!.filters as { q: string }).q).toBe(`${number.slice(0, 3)}****${number.slice(-4)}`);
    expect(JSON.stringify(line)).not.toContain(number);
  });

  it.each(["csv", "xlsx"])("logs a %s download the client abandons; a CSV one stops reading the store", async (format) => {
    const failures = vi.spyOn(console, "error");
    const failureLine = () => failures.mock.calls.map(([line]) => String(line)).find((line) => line.includes('"export_failed"'));
    try {
      const response = await exportRequest({ ...companies, format });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await reader.cancel();
      await vi.waitFor(() => expect(failureLine()).toBeDefined());
      const logged = JSON.parse(failureLine()!) as { format: string; rowsWritten: number };
      expect(logged.format).toBe(format);
      // ExcelJS buffers its first 64 KB, so an XLSX of this size is written whole before its first byte is read.
      if (format === "csv") expect(logged.rowsWritten).toBeLessThan(matching(inRange(month.since, month.before), { type: 2 }).length);
    } finally {
      failures.mockRestore();
    }
  });

  it("refuses an export over the limit with a 400 before writing anything", async () => {
    expect(inRange(month.since, month.before).length).toBeGreaterThan(EXPORT_MAX_ROWS);
    const response = await exportRequest({ ...month, format: "csv" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(new RegExp(`more than the ${EXPORT_MAX_ROWS} .*narrow the range or filters`));
    expect(auditLines()).toEqual([]);
  });

  it.each([
    [{ format: "pdf" }, /format must be csv or xlsx/],
    [{}, /format must be csv or xlsx/],
    [{ format: "csv", no_such_field: "1" }, /unknown parameter: no_such_field/],
    [{ format: "csv", q: "x".repeat(51) }, /q may be at most 50 characters/],
    [{ format: ["csv", "xlsx"] }, /"format" is given more than once/],
    [{ format: "csv", size: "10" }, /unknown parameter: size/],
  ])("rejects %j with a 400 and no upstream call", async (extra, message) => {
    simulator().resetStats();
    const response = await exportRequest({ ...month, ...extra });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(simulator().stats().requests).toBe(0);
    expect(auditLines()).toEqual([]);
  });
});

describe("a day Tanma cannot give", () => {
  const stored = addDays(today, -45);
  const range = { since: stored, before: addDays(stored, 2) };

  it("leaves it out of the facets, saying so, and refuses the export rather than hand out a shorter file", async () => {
    await facets({ since: stored, before: addDays(stored, 1) });
    simulator().setKnobs({ errorRate: 1, errorMode: "http503" });
    try {
      const counted = await facets(range);
      expect(counted.total).toBe(inRange(stored, addDays(stored, 1)).length);
      expect(counted.sync).toMatchObject({ stale: true, pendingDays: 1, days: 2 });
      expect(counted.sync.reason).toEqual({ kind: "unreachable", code: "HTTP 503" });

      const response = await exportRequest({ ...range, format: "csv" });
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: string }).error).toMatch(/Tanma/);
    } finally {
      simulator().setKnobs({ errorRate: 0 });
    }
  });
});
