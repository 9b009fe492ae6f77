import { describe, expect, it } from "vitest";
import { parseFilterParams } from "@/lib/api/filter-query";
import { clueExportUrl, clueFacetsUrl, clueFilterParams, clueListUrl } from "@/lib/clues/query-options";
import { EMPTY_RAW_VIEW, loadClueSearchParams, type RawClueSearchParams, resolveView, viewQueryString } from "@/lib/clues/search-params";
import { clueListQuerySchema, customerIdSchema } from "@/lib/clues/schema";

const parse = (query: Record<string, string>) => clueListQuerySchema.safeParse(query);
const firstMessage = (query: Record<string, string>) => parse(query).error?.issues[0]?.message;

describe("clueListQuerySchema", () => {
  it("turns days into China midnights and defaults the page size, the order and the filters", () => {
    expect(parse({ since: "2024-01-01", before: "2024-01-08", type: "2" }).data).toEqual({
      since: "2024-01-01 00:00:00",
      before: "2024-01-08 00:00:00",
      type: 2,
      size: 100,
      order: "desc",
      tag: [],
      fields: {},
    });
    expect(parse({ since: "2024-01-01 08:30:00", before: "2024-01-01 09:00:00", size: "7" }).data).toMatchObject({
      since: "2024-01-01 08:30:00",
      before: "2024-01-01 09:00:00",
      size: 7,
    });
  });

  it.each([
    [{ before: "2024-01-02" }, /since is required/],
    [{ since: "2024/01/01", before: "2024-01-02" }, /since must be a real date/],
    [{ since: "2024-02-30", before: "2024-03-02" }, /since must be a real date/],
    [{ since: "2024-01-02", before: "2024-01-02" }, /since must be earlier than before/],
    [{ since: "2024-01-03", before: "2024-01-02" }, /since must be earlier than before/],
    [{ since: "2024-01-01", before: "2025-01-02" }, /at most 366 days/],
    [{ since: "2024-01-01", before: "2024-01-02", type: "3" }, /type must be 1/],
    [{ since: "2024-01-01", before: "2024-01-02", size: "0" }, /size must be a whole number/],
    [{ since: "2024-01-01", before: "2024-01-02", size: "101" }, /size must be a whole number/],
    [{ since: "2024-01-01", before: "2024-01-02", size: "2.5" }, /size must be a whole number/],
    [{ since: "2024-01-01", before: "2024-01-02", size: "ten" }, /size must be a whole number/],
    [{ since: "2024-01-01", before: "2024-01-02", companyId: "abc" }, /companyId must be a numeric id/],
  ])("rejects %j", (query, message) => {
    expect(firstMessage(query)).toMatch(message);
  });

  it("allows exactly 366 days and no more", () => {
    expect(parse({ since: "2024-01-01", before: "2025-01-01" }).success).toBe(true);
    expect(parse({ since: "2024-01-01", before: "2025-01-01 00:00:01" }).success).toBe(false);
  });

  it("rejects unknown parameters", () => {
    expect(parse({ since: "2024-01-01", before: "2024-01-02", sort: "desc" }).success).toBe(false);
  });
});

describe("customerIdSchema", () => {
  it("accepts Tanma's 15-digit ids and refuses what JSON numbers cannot carry", () => {
    expect(customerIdSchema.safeParse("410983932389440").success).toBe(true);
    expect(customerIdSchema.safeParse("12ab").success).toBe(false);
    expect(customerIdSchema.safeParse("9999999999999999").success).toBe(false);
    expect(customerIdSchema.safeParse("").success).toBe(false);
    expect(customerIdSchema.safeParse("0").success).toBe(false);
    expect(customerIdSchema.safeParse("0410983932389440").success).toBe(false);
  });
});

describe("resolveView agrees with clueListQuerySchema", () => {
  // resolveView runs in the browser, so it checks the schema's rules by hand instead of importing zod.
  const today = "2024-06-15";
  const cases: [string, string, string | null][] = [
    ["2024-01-01", "2024-01-08", null],
    ["2024-01-01", "2024-01-08", "1"],
    ["2024-01-08", "2024-01-08", null],
    ["2024-01-09", "2024-01-08", "2"],
    ["2023-01-01", "2024-01-02", null],
    ["2023-01-01", "2024-01-03", null],
    ["2024-02-28", "2024-03-01", null],
    ["2024-02-30", "2024-03-01", null],
    ["2024-1-01", "2024-03-01", null],
    ["2024-01-01", "2024-03-01", "3"],
  ];
  it.each(cases)("since=%s before=%s type=%s", (since, before, type) => {
    const view = resolveView({ ...EMPTY_RAW_VIEW, since, before, type }, today);
    const schema = clueListQuerySchema.safeParse({ since, before, ...(type === null ? {} : { type }) });
    expect(view.ok).toBe(schema.success);
  });

  // The filters: a view resolveView accepts is sent as the query string clueFilterParams builds and read the way
  // the route reads it; a view it refuses would have been refused by the route.
  const range = { since: "2024-01-01", before: "2024-01-08" };
  const filterCases: [string, Partial<RawClueSearchParams>][] = [
    ["oldest first", { order: "asc" }],
    ["an unknown order", { order: "newest" }],
    ["a search", { q: "  张三 " }],
    ["a blank search (no search)", { q: "   " }],
    ["a 50-character search", { q: "搜".repeat(50) }],
    ["a 51-character search", { q: "搜".repeat(51) }],
    ["a status", { status: "unassigned" }],
    ["an unknown status", { status: "converted" }],
    ["untouched leads", { touch: "untouched" }],
    ["touched leads", { touch: "touched" }],
    ["an unknown touch", { touch: "cold" }],
    ["tags", { tag: ["t1", "t2"] }],
    ["too many tags", { tag: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    ["an over-long tag", { tag: ["t".repeat(65)] }],
    ["select fields", { field: ["customer_stage:1", "customer_stage:2", "customer_source:9"] }],
    ["a field without its item", { field: ["customer_stage"] }],
    ["a field with a bad key", { field: ["1stage:1"] }],
    ["too many items of a field", { field: Array.from({ length: 51 }, (_, i) => `customer_stage:${i}`) }],
    ["too many fields", { field: Array.from({ length: 21 }, (_, i) => `field_${i}:1`) }],
  ];
  it.each(filterCases)("%s", (_, patch) => {
    const result = resolveView({ ...EMPTY_RAW_VIEW, ...range, ...patch }, today);
    // What the same parameters would be in the API's own syntax.
    const apiParams = new URLSearchParams(range);
    if (patch.order) apiParams.set("order", patch.order);
    if (patch.q?.trim()) apiParams.set("q", patch.q);
    if (patch.status) apiParams.set("status", patch.status);
    if (patch.touch) apiParams.set("touch", patch.touch);
    for (const tag of patch.tag ?? []) apiParams.append("tag", tag);
    let malformedField = false;
    for (const value of patch.field ?? []) {
      const [key, item] = value.split(":");
      if (key === undefined || item === undefined) malformedField = true;
      else apiParams.append(key, item);
    }
    const accepted = !malformedField && tryParse(apiParams);
    expect(result.ok).toBe(accepted);
    if (result.ok) {
      expect(parseFilterParams(clueFilterParams(result.view), clueListQuerySchema)).toEqual(
        parseFilterParams(apiParams, clueListQuerySchema),
      );
    }
  });

  it("a view survives its own query string", () => {
    const raw = { ...EMPTY_RAW_VIEW, ...range, type: "2", order: "asc", q: "李", status: "clue", touch: "untouched", tag: ["a"], field: ["customer_stage:3"] };
    const first = resolveView(raw, today);
    if (!first.ok) throw new Error(first.reason);
    const again = resolveView(loadClueSearchParams(new URLSearchParams(viewQueryString(first.view))), today);
    expect(again).toEqual(first);
  });
});

describe("the client's API URLs speak the page URL's filter grammar", () => {
  const today = "2024-06-15";
  const raw = {
    ...EMPTY_RAW_VIEW,
    since: "2024-01-01",
    before: "2024-01-08",
    type: "2",
    order: "asc",
    q: "李",
    status: "clue",
    tag: ["t2", "t1"],
    field: ["customer_stage:3", "custom_401300000000001:9", "customer_stage:1"],
  };
  const resolved = resolveView(raw, today);
  if (!resolved.ok) throw new Error(resolved.reason);
  const view = resolved.view;
  const urls = { list: clueListUrl(view, null), facets: clueFacetsUrl(view), export: clueExportUrl(view, "csv") };

  it.each(Object.entries(urls))("%s: select fields as field=<key>:<itemId>, no other parameter names", (_, url) => {
    const params = new URLSearchParams(url.split("?")[1]);
    expect(params.getAll("field")).toEqual(["custom_401300000000001:9", "customer_stage:1", "customer_stage:3"]);
    expect(params.getAll("tag")).toEqual(["t1", "t2"]);
    const names = new Set(["since", "before", "type", "order", "q", "status", "touch", "tag", "field", "size", "format"]);
    expect([...params.keys()].filter((name) => !names.has(name))).toEqual([]);
  });

  it("the page's own query string and the client's request parse to one filter", () => {
    const fromPage = parseFilterParams(new URLSearchParams(viewQueryString(view)), clueListQuerySchema);
    const fromClient = parseFilterParams(clueFilterParams(view), clueListQuerySchema);
    // The client sorts the values (equal filters, equal query keys); "any of" does not depend on their order.
    const sorted = (f: typeof fromPage) => ({
      ...f,
      tag: [...f.tag].sort(),
      fields: Object.fromEntries(Object.entries(f.fields).map(([key, items]) => [key, [...items].sort()])),
    });
    expect(sorted(fromPage)).toEqual(sorted(fromClient));
    expect(sorted(fromClient).fields).toEqual({ customer_stage: ["1", "3"], custom_401300000000001: ["9"] });
  });
});

function tryParse(params: URLSearchParams): boolean {
  try {
    parseFilterParams(params, clueListQuerySchema);
    return true;
  } catch {
    return false;
  }
}
