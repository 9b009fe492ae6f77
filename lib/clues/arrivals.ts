import { addDays, type Day, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import type { ClueItem, HistogramBucket } from "@/lib/clues/schema";
import type { DayRange } from "@/lib/date-presets";

/**
 * The arrivals chart and the live arrivals, as pure functions (unit-tested): the chart's slots for a range,
 * the date range a click or a drag across slots narrows the view to, the stacked segments of a bar, and
 * the tab title that counts new leads.
 */

const HOUR_MS = 3_600_000;

/** One bar position: a China day, or an hour (`YYYY-MM-DD HH:00:00`) when the facets bucket per hour. */
export type ChartSlot = {
  start: string;
  /** The China day the slot belongs to. */
  day: Day;
  /** The facets' bucket; undefined for a slot after now (no bar, not interactive). */
  bucket: HistogramBucket | undefined;
};

/**
 * Every slot of the range, oldest first: the histogram's buckets (which stop at now) and, for the rest of the
 * range, empty slots, so today's bar sits where today is and the axis always spans the whole range. The facets
 * bucket per hour for ranges of two days or less; their answer says which (`start` is a day or an hour).
 */
export function chartSlots(range: DayRange, histogram: readonly HistogramBucket[]): ChartSlot[] {
  const hourly = histogram.length > 0 ? histogram[0]!.start.length > 10 : parseChinaWallTime(range.before) - parseChinaWallTime(range.since) <= 2 * 86_400_000;
  const byStart = new Map(histogram.map((b) => [b.start, b]));
  const slots: ChartSlot[] = [];
  if (hourly) {
    const end = parseChinaWallTime(range.before);
    for (let t = parseChinaWallTime(range.since); t < end; t += HOUR_MS) {
      const start = formatChinaWallTime(t);
      slots.push({ start, day: start.slice(0, 10), bucket: byStart.get(start) });
    }
  } else {
    for (let day = range.since; day < range.before; day = addDays(day, 1)) {
      slots.push({ start: day, day, bucket: byStart.get(day) });
    }
  }
  return slots;
}

/**
 * The range a click on slot `from` (or a drag from `from` to `to`, either direction) narrows the view to:
 * whole China days, as the list's range is. Undefined when it would not narrow anything (the slots are the
 * view's own days, e.g. an hour of a one-day view) or when a slot is out of range.
 */
export function narrowedRange(slots: readonly ChartSlot[], range: DayRange, from: number, to = from): DayRange | undefined {
  const a = slots[Math.min(from, to)];
  const b = slots[Math.max(from, to)];
  if (a === undefined || b === undefined) return undefined;
  const narrowed = { since: a.day, before: addDays(b.day, 1) };
  return narrowed.since === range.since && narrowed.before === range.before ? undefined : narrowed;
}

/** The slot under a horizontal position `x` in a chart `width` wide holding `count` equal slots (clamped). */
export function slotIndexAt(x: number, width: number, count: number): number {
  if (count <= 0 || width <= 0) return 0;
  return Math.max(0, Math.min(count - 1, Math.floor((x / width) * count)));
}

/** How a bar is split: by type (个人 / 企业) or by status (线索 / 待分配). */
export type ChartSplit = "type" | "status";

export type Segment = { key: string; count: number };

/** The bar's stacked segments, bottom first, in a fixed order so colours never swap between bars. */
export function barSegments(bucket: HistogramBucket, split: ChartSplit): Segment[] {
  if (split === "status") {
    return [
      { key: "clue", count: bucket.byStatus.clue },
      { key: "unassigned", count: bucket.byStatus.unassigned },
    ];
  }
  const known = [
    { key: "1", count: bucket.byType["1"] },
    { key: "2", count: bucket.byType["2"] },
  ];
  // A type code Tanma adds later still counts, on top, so the bar's height stays its total.
  const other = bucket.count - known[0]!.count - known[1]!.count;
  return other > 0 ? [...known, { key: "other", count: other }] : known;
}

/**
 * The chart's top: a round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) at or above `max`, close enough that the
 * tallest bar fills most of the height.
 */
export function niceCeiling(max: number): number {
  if (max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= max)!;
  return Math.ceil(step * magnitude);
}

/** The tab title with the count of new leads waiting in front: "(3) 新线索 · 线索台". */
export function titleWithCount(count: number, title: string): string {
  const plain = title.replace(/^\(\d+\+?\) /, "");
  if (count <= 0) return plain;
  return `(${count > 99 ? "99+" : count}) ${plain}`;
}

/**
 * How many of the leads a poll found (all leads from the newest shown on, oldest first) are new: the ones
 * not shown yet. `total` counts every match from that moment on; when the poll's page is not all of them
 * (`more`), the ones beyond it are new too (they are later than every lead shown).
 */
export function newArrivals(found: { items: readonly ClueItem[]; total: number }, shownIds: ReadonlySet<string>): { items: ClueItem[]; count: number } {
  const items = found.items.filter((c) => !shownIds.has(c.customerId));
  const shownAmongFound = found.items.length - items.length;
  return { items, count: Math.max(items.length, found.total - shownAmongFound) };
}

/** Whether a view's range reaches today (leads can still arrive in it). */
export function includesToday(range: DayRange, today: Day): boolean {
  return range.before > today && range.since <= today;
}
