import { addDays, type Day, daysBetween, parseChinaWallTime } from "@/lib/china-time";

/**
 * When a stored day must be walked again. Pure, so the policy is unit-tested apart from the sync that runs it.
 * - never walked: `missing` (a read waits for it);
 * - today: `stale` once the last complete walk is older than the re-walk interval (the live follower adds
 *   arrivals in between; only a walk catches edits and removals);
 * - a day that ended after its last walk began (yesterday walked before midnight): `stale`, once;
 * - the last 7 days: `stale` after the recent max age; older days after the old max age.
 * A read never waits for a `stale` day: it is served and refreshed in the background.
 */
export type DayFreshness = "missing" | "stale" | "fresh";

export type FreshnessPolicy = { todayRewalkMs: number; recentMaxAgeMs: number; oldMaxAgeMs: number };

const RECENT_DAYS = 7;

export function dayFreshness(day: Day, syncedAt: Date | null, now: number, today: Day, policy: FreshnessPolicy): DayFreshness {
  if (syncedAt === null) return "missing";
  const age = now - syncedAt.getTime();
  if (day === today) return age > policy.todayRewalkMs ? "stale" : "fresh";
  if (syncedAt.getTime() < parseChinaWallTime(addDays(day, 1))) return "stale";
  const maxAge = daysBetween(day, today) < RECENT_DAYS ? policy.recentMaxAgeMs : policy.oldMaxAgeMs;
  return age > maxAge ? "stale" : "fresh";
}

/** The China days a range `[since, before)` of wall times touches, oldest first. */
export function daysOfRange(since: string, before: string): Day[] {
  const first = since.slice(0, 10);
  // `before` is exclusive: a range ending at midnight does not touch the day that begins then.
  const last = before.slice(11) === "00:00:00" ? addDays(before.slice(0, 10), -1) : before.slice(0, 10);
  const days: Day[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}
