import { TZDate } from "@date-fns/tz";

/**
 * Tanma speaks China wall time (`yyyy-MM-dd HH:mm:ss`, UTC+8) everywhere. Every conversion between an
 * instant and a wall-clock string goes through this module and names the zone, so that neither the
 * server's nor the browser's zone can shift a range by a day.
 */
export const CHINA_TIME_ZONE = "Asia/Shanghai";

/** A calendar day, `YYYY-MM-DD`. */
export type Day = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Checks that the numbers form a real calendar date (no 2024-02-30). */
function isRealDate(y: number, m: number, d: number): boolean {
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

export function isDay(value: string): value is Day {
  const m = DAY_RE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isWallTime(value: string): boolean {
  const m = WALL_TIME_RE.exec(value);
  if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
}

/** `YYYY-MM-DD` → `YYYY-MM-DD 00:00:00`; a full wall time is returned as is. */
export function toWallTime(value: Day | string): string {
  return isDay(value) ? `${value} 00:00:00` : value;
}

/** The China wall time of an instant. */
export function formatChinaWallTime(instant: Date | number): string {
  const t = new TZDate(typeof instant === "number" ? instant : instant.getTime(), CHINA_TIME_ZONE);
  return (
    `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ` +
    `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`
  );
}

/** The instant (epoch ms) of a China wall time or day; throws on malformed input. */
export function parseChinaWallTime(value: string): number {
  const wall = toWallTime(value);
  const m = WALL_TIME_RE.exec(wall);
  if (m === null || !isWallTime(wall)) throw new RangeError(`not a China wall time: ${value}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new TZDate(y, mo - 1, d, h, mi, s, CHINA_TIME_ZONE).getTime();
}

/** Today's date in China. */
export function chinaToday(now: Date | number = Date.now()): Day {
  return formatChinaWallTime(now).slice(0, 10);
}

/** Calendar arithmetic on days; zone-free because a `Day` is a calendar date, not an instant. */
export function addDays(day: Day, days: number): Day {
  const m = DAY_RE.exec(day);
  if (m === null) throw new RangeError(`not a day: ${day}`);
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Day, to: Day): number {
  const utc = (day: Day) => {
    const m = DAY_RE.exec(day);
    if (m === null) throw new RangeError(`not a day: ${day}`);
    return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** The first day of the month `offset` months from the month of `day`. */
export function startOfMonth(day: Day, offset = 0): Day {
  const m = DAY_RE.exec(day);
  if (m === null) throw new RangeError(`not a day: ${day}`);
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + offset, 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-01`;
}
