import { describe, expect, it } from "vitest";
import {
  barSegments,
  chartSlots,
  includesToday,
  narrowedRange,
  newArrivals,
  niceCeiling,
  slotIndexAt,
  titleWithCount,
} from "@/lib/clues/arrivals";
import type { ClueItem, HistogramBucket } from "@/lib/clues/schema";

const bucket = (start: string, person: number, company: number, clue = person + company): HistogramBucket => ({
  start,
  count: person + company,
  byType: { "1": person, "2": company },
  byStatus: { clue, unassigned: person + company - clue },
});

const clue = (customerId: string, createTime: string): ClueItem => ({
  customerId,
  isClue: true,
  type: 1,
  fields: [],
  tags: [],
  company: null,
  createTime,
  lastUpdateTime: createTime,
  firstTouchAt: null,
  firstTouchBy: null,
});

describe("arrivals chart slots", () => {
  const week = { since: "2026-03-01", before: "2026-03-08" };

  it("has a slot per day of the range, the histogram's buckets where it has them (it stops at now)", () => {
    const slots = chartSlots(week, [bucket("2026-03-01", 3, 1), bucket("2026-03-02", 0, 0), bucket("2026-03-03", 5, 2)]);
    expect(slots.map((s) => s.start)).toEqual(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07"]);
    expect(slots.map((s) => s.bucket?.count)).toEqual([4, 0, 7, undefined, undefined, undefined, undefined]);
    expect(slots.every((s) => s.day === s.start)).toBe(true);
  });

  it("has a slot per hour when the facets bucket per hour, each knowing its day", () => {
    const twoDays = { since: "2026-03-06", before: "2026-03-08" };
    const slots = chartSlots(twoDays, [bucket("2026-03-06 00:00:00", 1, 0), bucket("2026-03-07 13:00:00", 2, 2)]);
    expect(slots).toHaveLength(48);
    expect(slots[0]).toMatchObject({ start: "2026-03-06 00:00:00", day: "2026-03-06" });
    expect(slots[24]).toMatchObject({ start: "2026-03-07 00:00:00", day: "2026-03-07" });
    expect(slots[37]?.bucket?.count).toBe(4);
    expect(slots[47]?.start).toBe("2026-03-07 23:00:00");
  });

  it("without any bucket yet, decides hours or days by the range's length as the server does", () => {
    expect(chartSlots({ since: "2026-03-07", before: "2026-03-08" }, [])).toHaveLength(24);
    expect(chartSlots({ since: "2026-03-05", before: "2026-03-08" }, [])).toHaveLength(3);
  });
});

describe("narrowing the range from the chart", () => {
  const week = { since: "2026-03-01", before: "2026-03-08" };
  const slots = chartSlots(week, [bucket("2026-03-01", 1, 1)]);

  it("a click narrows to the bar's day, a drag to the days dragged over, in either direction", () => {
    expect(narrowedRange(slots, week, 2)).toEqual({ since: "2026-03-03", before: "2026-03-04" });
    expect(narrowedRange(slots, week, 1, 3)).toEqual({ since: "2026-03-02", before: "2026-03-05" });
    expect(narrowedRange(slots, week, 3, 1)).toEqual({ since: "2026-03-02", before: "2026-03-05" });
  });

  it("a drag over every day, or a bar outside the slots, narrows nothing", () => {
    expect(narrowedRange(slots, week, 0, 6)).toBeUndefined();
    expect(narrowedRange(slots, week, 7)).toBeUndefined();
    expect(narrowedRange(slots, week, -1)).toBeUndefined();
  });

  it("hours narrow to whole days: an hour of a two-day view to its day, an hour of a one-day view to nothing", () => {
    const twoDays = { since: "2026-03-06", before: "2026-03-08" };
    const hours = chartSlots(twoDays, []);
    expect(narrowedRange(hours, twoDays, 30)).toEqual({ since: "2026-03-07", before: "2026-03-08" });
    expect(narrowedRange(hours, twoDays, 5, 30)).toBeUndefined();
    const oneDay = { since: "2026-03-07", before: "2026-03-08" };
    expect(narrowedRange(chartSlots(oneDay, []), oneDay, 10, 12)).toBeUndefined();
  });

  it("maps a pointer position to the slot under it, clamped to the chart", () => {
    expect(slotIndexAt(0, 700, 7)).toBe(0);
    expect(slotIndexAt(99.9, 700, 7)).toBe(0);
    expect(slotIndexAt(100, 700, 7)).toBe(1);
    expect(slotIndexAt(699, 700, 7)).toBe(6);
    expect(slotIndexAt(-20, 700, 7)).toBe(0);
    expect(slotIndexAt(900, 700, 7)).toBe(6);
    expect(slotIndexAt(10, 0, 7)).toBe(0);
  });
});

describe("bars", () => {
  it("stack by type or status in a fixed order that adds up to the bar's count", () => {
    const b = bucket("2026-03-01", 5, 3, 6);
    expect(barSegments(b, "type")).toEqual([
      { key: "1", count: 5 },
      { key: "2", count: 3 },
    ]);
    expect(barSegments(b, "status")).toEqual([
      { key: "clue", count: 6 },
      { key: "unassigned", count: 2 },
    ]);
  });

  it("count a type code the chart does not know on top, so the bar keeps its total", () => {
    const b: HistogramBucket = { start: "2026-03-01", count: 10, byType: { "1": 5, "2": 3, "3": 2 }, byStatus: { clue: 10, unassigned: 0 } };
    expect(barSegments(b, "type").reduce((sum, s) => sum + s.count, 0)).toBe(10);
    expect(barSegments(b, "type").at(-1)).toEqual({ key: "other", count: 2 });
  });

  it("scale to a round number at or above the tallest bar", () => {
    expect([0, 1, 3, 7, 10, 11, 48, 120, 133, 220, 560, 4100].map(niceCeiling)).toEqual([1, 1, 3, 8, 10, 15, 50, 150, 150, 250, 600, 5000]);
  });
});

describe("live arrivals", () => {
  it("counts the found leads not shown yet; ones beyond the poll's page count too", () => {
    const shown = new Set(["a", "b"]);
    const found = { items: [clue("b", "2026-03-07 10:00:00"), clue("c", "2026-03-07 10:00:00"), clue("d", "2026-03-07 10:01:00")], total: 3 };
    expect(newArrivals(found, shown)).toEqual({ items: [found.items[1], found.items[2]], count: 2 });
    expect(newArrivals({ ...found, total: 250 }, shown).count).toBe(249);
    expect(newArrivals({ items: [clue("b", "2026-03-07 10:00:00")], total: 1 }, shown)).toEqual({ items: [], count: 0 });
  });

  it("puts the count in front of the tab title, once, and takes it away", () => {
    expect(titleWithCount(3, "新线索 · Clue Desk 线索台")).toBe("(3) 新线索 · Clue Desk 线索台");
    expect(titleWithCount(4, "(3) 新线索 · Clue Desk 线索台")).toBe("(4) 新线索 · Clue Desk 线索台");
    expect(titleWithCount(120, "新线索")).toBe("(99+) 新线索");
    expect(titleWithCount(0, "(99+) 新线索")).toBe("新线索");
    expect(titleWithCount(0, "新线索")).toBe("新线索");
  });

  it("follows a view only while its range reaches today", () => {
    const today = "2026-03-07";
    expect(includesToday({ since: "2026-03-01", before: "2026-03-08" }, today)).toBe(true);
    expect(includesToday({ since: "2026-03-07", before: "2026-03-08" }, today)).toBe(true);
    expect(includesToday({ since: "2026-03-01", before: "2026-03-07" }, today)).toBe(false);
    expect(includesToday({ since: "2026-03-08", before: "2026-03-09" }, today)).toBe(false);
  });
});
