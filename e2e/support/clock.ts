import path from "node:path";
import { addDays, chinaToday, parseChinaWallTime, startOfMonth } from "../../lib/china-time";

/**
 * The e2e suite lives at a fixed kind of moment rather than the real one, so no test passes or fails by the
 * calendar: the 15th of next month at 10:00 China time. Mid-month and mid-morning, so no day or month ends
 * during a run; in the future, so the session cookies the servers set (expiring 12 h after *their* now) are
 * still valid in the browser's cookie jar, which keeps real time. The date-sensitive specs run at edge moments
 * of their own (e2e/china-days.spec.ts, e2e/support/dated-desk.ts).
 */
export function suiteMoment(realNow: number): number {
  const nextMonth = startOfMonth(chinaToday(realNow), 1);
  return parseChinaWallTime(`${addDays(nextMonth, 14)} 10:00:00`);
}

/** The real time, which a shifted `Date` no longer tells: `performance` is never shifted. */
export const realNow = () => performance.timeOrigin + performance.now();

// Taken once, by the first process that loads this (Playwright's runner); its workers and servers inherit it.
process.env.E2E_CLOCK_OFFSET_MS ??= String(Math.round(suiteMoment(realNow()) - realNow()));

/** How far the suite's clocks are ahead of the real one. */
export const SUITE_CLOCK_OFFSET_MS = Number(process.env.E2E_CLOCK_OFFSET_MS);

const SHIFTED_CLOCK_PRELOAD = `--import=${path.resolve("e2e/support/shifted-clock.mjs")}`;

/** The environment that moves a server process's clock by `offsetMs` (the suite's, or a dated desk's). */
export function shiftedClockEnv(offsetMs: number): Record<string, string> {
  return { E2E_CLOCK_OFFSET_MS: String(offsetMs), NODE_OPTIONS: [process.env.NODE_OPTIONS ?? "", SHIFTED_CLOCK_PRELOAD].join(" ").trim() };
}
