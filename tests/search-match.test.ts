import { describe, expect, it } from "vitest";
import { filterChips } from "@/lib/clues/filter-chips";
import type { Dictionary } from "@/lib/clues/schema";
import { EMPTY_RAW_VIEW, resolveView } from "@/lib/clues/search-params";
import { phoneMatches, phoneSearch, textMatches } from "@/lib/clues/search-match";

const marked = (segments: { text: string; match: boolean }[]) => segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join("");

describe("what the highlighting marks", () => {
  it("marks every occurrence of the search in a text, ignoring case", () => {
    expect(marked(textMatches("Acme 科技 acme", "ACME"))).toBe("[Acme] 科技 [acme]");
    expect(marked(textMatches("王小王", "王"))).toBe("[王]小[王]");
    expect(marked(textMatches("张三", "李"))).toBe("张三");
    expect(marked(textMatches("张三", undefined))).toBe("张三");
  });

  it("marks digits among a masked number's visible ones, and a whole mobile number as its masked form", () => {
    expect(marked(phoneMatches("138****5678", "5678"))).toBe("138****[5678]");
    expect(marked(phoneMatches("138****5678", "567"))).toBe("138****5678"); // fewer than 4 digits: no phone match
    expect(marked(phoneMatches("138****5678, 139****0000", "138 0013 5678"))).toBe("[138****5678], 139****0000");
    expect(marked(phoneMatches("138****5678", "+86 138-0013-5678"))).toBe("[138****5678]");
    expect(marked(phoneMatches("138****5678", "张三"))).toBe("138****5678");
  });

  it("reads a search as a phone number the way the store does", () => {
    expect(phoneSearch("13800135678")).toEqual({ digits: "13800135678", mobile: "13800135678" });
    expect(phoneSearch("5678")).toEqual({ digits: "5678", mobile: null });
    expect(phoneSearch("567")).toEqual({ digits: null, mobile: null });
    expect(phoneSearch("a5678")).toEqual({ digits: null, mobile: null });
  });
});

describe("filter chips", () => {
  const dictionary: Dictionary = {
    fieldLabels: { customer_stage: "客户阶段" },
    fields: [{ id: "401", name: "客户阶段", type: 2, items: [{ id: "9001", name: "初步接触" }] }],
    tagGroups: [{ id: "g", name: "行业", qwTagId: "g", tags: [{ id: "t", name: "教育", qwTagId: "et1" }] }],
  };

  it("reads each active filter by its labels, and removing one leaves the others", () => {
    const result = resolveView(
      { ...EMPTY_RAW_VIEW, since: "2026-01-01", before: "2026-01-08", q: "王", type: "2", status: "clue", tag: ["et1", "etX"], field: ["customer_stage:9001", "customer_stage:9002"] },
      "2026-01-10",
    );
    if (!result.ok) throw new Error(result.reason);
    const chips = filterChips(result.view, dictionary);
    expect(chips.map((c) => c.label)).toEqual(["搜索：王", "类型：企业", "状态：线索", "标签：教育", "标签：未知标签", "客户阶段：初步接触", "客户阶段：9002"]);
    expect(chips.find((c) => c.id === "tag:et1")?.remove).toEqual({ tag: ["etX"] });
    expect(chips.find((c) => c.id === "field:customer_stage:9001")?.remove).toEqual({ field: ["customer_stage:9002"] });
    expect(filterChips(result.view, dictionary, { typeFixed: true }).map((c) => c.id)).not.toContain("type");
  });
});
