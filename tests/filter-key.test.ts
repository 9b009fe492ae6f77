import { describe, expect, it } from "vitest";
import { filterKey } from "@/lib/clues/filter-key";
import { clueListQuerySchema } from "@/lib/clues/schema";

const parse = (query: Record<string, unknown>) => clueListQuerySchema.parse({ since: "2026-12-01", before: "2026-12-07", ...query });

describe("filterKey", () => {
  it("is the same for the same filter in any order of its tags, fields and items, whatever the page", () => {
    const a = parse({ tag: ["b", "a"], field: ["stage:2", "stage:1", "source:x"], cursor: "c1", size: 10 });
    const b = parse({ field: ["source:x", "stage:1", "stage:2"], tag: ["a", "b"], size: 50 });
    expect(filterKey(a)).toBe(filterKey(b));
  });

  it("differs when any filter or the order differs", () => {
    const base = parse({});
    const others = [parse({ type: "1" }), parse({ status: "clue" }), parse({ q: "王" }), parse({ order: "asc" }), parse({ tag: ["a"] }), parse({ companyId: "7" }), parse({ since: "2026-12-02" })];
    const keys = new Set([base, ...others].map(filterKey));
    expect(keys.size).toBe(others.length + 1);
  });
});
