import { describe, expect, it } from "vitest";
import { resolveView } from "@/lib/clues/search-params";
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
    const view = resolveView({ since, before, type }, today);
    const schema = clueListQuerySchema.safeParse({ since, before, ...(type === null ? {} : { type }) });
    expect(view.ok).toBe(schema.success);
  });
});
