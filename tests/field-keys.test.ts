import { describe, expect, it } from "vitest";
import { collectFieldKeys, fieldKeysSignature } from "@/lib/clues/field-keys";
import type { ClueItem, Page } from "@/lib/clues/schema";

/** Field-key discovery: which field columns the clue table shows, in which order. */

const clue = (id: string, fields: [key: string, type: number][]): ClueItem => ({
  customerId: id,
  isClue: true,
  type: 1,
  fields: fields.map(([key, type]) => ({ key, type, values: [] })),
  tags: [],
  company: null,
  createTime: "2025-06-18 10:00:00",
  lastUpdateTime: "2025-06-18 10:00:00",
  firstTouchAt: null,
  firstTouchBy: null,
});
const page = (...items: ClueItem[]): Page<ClueItem> => ({ items, nextCursor: null });

describe("collectFieldKeys", () => {
  it("puts the built-in keys first in their fixed order, then other keys as first seen", () => {
    const keys = collectFieldKeys([
      page(clue("1", [["custom_9", 1], ["mobile", 8], ["wx_unionid", 1], ["name", 1]])),
      page(clue("2", [["custom_3", 4], ["gender", 2]])),
    ]);
    expect(keys.map((k) => k.key)).toEqual(["name", "mobile", "gender", "custom_9", "wx_unionid", "custom_3"]);
  });

  it("keeps the type first seen for a key", () => {
    const keys = collectFieldKeys([page(clue("1", [["custom_9", 1]]), clue("2", [["custom_9", 5]]))]);
    expect(keys).toEqual([{ key: "custom_9", type: 1 }]);
  });

  it("appends a key first seen on a later page without moving the earlier columns", () => {
    const first = page(clue("1", [["custom_9", 1], ["name", 1]]));
    const before = collectFieldKeys([first]);
    const after = collectFieldKeys([first, page(clue("2", [["custom_5", 1]]))]);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.at(-1)).toEqual({ key: "custom_5", type: 1 });
  });

  it("finds nothing in no pages or empty ones", () => {
    expect(collectFieldKeys([])).toEqual([]);
    expect(collectFieldKeys([page()])).toEqual([]);
  });
});

describe("fieldKeysSignature", () => {
  it("is equal for the same key set and differs when a key or a type changes", () => {
    const a = collectFieldKeys([page(clue("1", [["name", 1], ["custom_9", 1]]))]);
    const b = collectFieldKeys([page(clue("2", [["name", 1]]), clue("3", [["custom_9", 1]]))]);
    expect(fieldKeysSignature(a)).toBe(fieldKeysSignature(b));
    expect(fieldKeysSignature(a)).not.toBe(fieldKeysSignature(collectFieldKeys([page(clue("4", [["name", 1]]))])));
    expect(fieldKeysSignature(a)).not.toBe(fieldKeysSignature([{ key: "name", type: 1 }, { key: "custom_9", type: 4 }]));
  });
});
