import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Day } from "@/lib/china-time";
import { syncDays } from "@/lib/clues/store/tables";
import type { StoreDb } from "@/lib/db/connection";
import { fromNow, instanceId } from "@/lib/db/leases";
import { decodeFailure, FailedElsewhereError } from "@/lib/clues/store/sync-failure";

/**
 * Day walks between Clue Desk instances sharing one PostgreSQL store (and, trivially, within one PGlite
 * process): a day is walked by one instance at a time. A walk's claim has an expiry, kept in the store and
 * judged by the database's clock, renewed while the walk runs: an instance that dies stops renewing, and its
 * claim lapses for another to take. (Jobs one instance runs alone, such as today's follower, hold a lease of
 * the database core: lib/db/leases.ts.)
 */

/**
 * How long a walk's claim holds without renewal; a walk renews it every third of that. Short enough that a
 * walk of today orphaned by a dead instance does not hold up the follower that replaces it past 30 s.
 */
export const WALK_CLAIM_MS = 20_000;

/** Claims a day's walk for this instance; false while another instance holds it. */
export async function claimDayWalk(db: StoreDb, day: Day): Promise<boolean> {
  await db.insert(syncDays).values({ day }).onConflictDoNothing();
  const claimed = await db
    .update(syncDays)
    .set({ walker: instanceId(), walkingUntil: fromNow(WALK_CLAIM_MS) })
    .where(and(eq(syncDays.day, day), or(isNull(syncDays.walkingUntil), lt(syncDays.walkingUntil, sql`now()`), eq(syncDays.walker, instanceId()))))
    .returning({ day: syncDays.day });
  return claimed.length > 0;
}

export async function renewDayWalk(db: StoreDb, day: Day): Promise<void> {
  await db
    .update(syncDays)
    .set({ walkingUntil: fromNow(WALK_CLAIM_MS) })
    .where(and(eq(syncDays.day, day), eq(syncDays.walker, instanceId())));
}

export async function releaseDayWalk(db: StoreDb, day: Day): Promise<void> {
  await db
    .update(syncDays)
    .set({ walker: null, walkingUntil: null })
    .where(and(eq(syncDays.day, day), eq(syncDays.walker, instanceId())));
}

const WAIT_POLL_MS = 250;

/**
 * Waits for another instance's walk of a day: `done` when it completed after `since`, `free` when its claim
 * ended without a complete walk (it failed, or the instance died) so this one may walk; a failure the other
 * instance recorded after `since` is thrown as this walk's failure.
 */
export async function waitForOtherWalk(db: StoreDb, day: Day, since: Date): Promise<"done" | "free"> {
  for (;;) {
    const [row] = await db
      .select({
        syncedAt: syncDays.syncedAt,
        failedAt: syncDays.failedAt,
        lastError: syncDays.lastError,
        claimed: sql<boolean>`${syncDays.walkingUntil} IS NOT NULL AND ${syncDays.walkingUntil} >= now()`,
      })
      .from(syncDays)
      .where(eq(syncDays.day, day));
    if (row?.syncedAt && row.syncedAt >= since) return "done";
    if (!row?.claimed) {
      if (row?.failedAt && row.failedAt >= since) throw new FailedElsewhereError(decodeFailure(row.lastError ?? ""));
      return "free";
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

/** Lets go of the days this instance is walking (at shutdown): another instance may walk them at once, not when the claims lapse. */
export async function releaseDayWalks(db: StoreDb): Promise<void> {
  await db.update(syncDays).set({ walker: null, walkingUntil: null }).where(eq(syncDays.walker, instanceId()));
}
