import { addDays, chinaToday, daysBetween, type Day, startOfMonth } from "@/lib/china-time";

/** A day range as the API takes it: `since` inclusive, `before` exclusive, both China days. */
export type DayRange = { since: Day; before: Day };

export const PRESET_IDS = ["today", "yesterday", "last7", "last30", "thisMonth", "lastMonth"] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** The range of a preset, anchored on a China day (default: today in China). Pure given `today`. */
export function presetRange(id: PresetId, today: Day = chinaToday()): DayRange {
  switch (id) {
    case "today":
      return { since: today, before: addDays(today, 1) };
    case "yesterday":
      return { since: addDays(today, -1), before: today };
    case "last7":
      return { since: addDays(today, -6), before: addDays(today, 1) };
    case "last30":
      return { since: addDays(today, -29), before: addDays(today, 1) };
    case "thisMonth":
      return { since: startOfMonth(today), before: addDays(today, 1) };
    case "lastMonth":
      return { since: startOfMonth(today, -1), before: startOfMonth(today) };
  }
}

/** The default view of the list: the last 7 China days, today included. */
export function defaultRange(today: Day = chinaToday()): DayRange {
  return presetRange("last7", today);
}

/** The preset a range equals, if any (first match wins: 今天 before 本月 on the 1st). */
export function matchPreset(range: DayRange, today: Day = chinaToday()): PresetId | undefined {
  return PRESET_IDS.find((id) => {
    const r = presetRange(id, today);
    return r.since === range.since && r.before === range.before;
  });
}

/** The inclusive last day of a range (`before` − 1), as the picker shows it. */
export function lastDay(range: DayRange): Day {
  return addDays(range.before, -1);
}

/** Number of days in a range. */
export function rangeLength(range: DayRange): number {
  return daysBetween(range.since, range.before);
}

/** A range from inclusive first/last days, in either order. */
export function rangeFromInclusive(a: Day, b: Day): DayRange {
  const [from, to] = a <= b ? [a, b] : [b, a];
  return { since: from, before: addDays(to, 1) };
}
