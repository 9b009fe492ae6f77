import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Day } from "@/lib/china-time";
import type { StoreDb } from "@/lib/store/db";
import { leases, syncDays } from "@/lib/store/schema";
import { decodeFailure, FailedElsewhereError } from "@/lib/store/sync-failure";

/**
 * Coordination between Clue Desk instances sharing one PostgreSQL store (and, trivially, within one PGlite
 * process): a day is walked by one instance at a time, and a job such as today's follower runs in exactly one.
 * Both are claims with an expiry, kept in the store and judged by the database's clock, renewed while the work
 * runs: an instance that dies stops renewing, and its claim lapses for another to take.
 */

const globalInstance = globalThis as typeof globalThis & { __clueDeskInstance?: string };

/** This process, as claims name it. */
export function instanceId(): string {
  globalInstance.__clueDeskInstance ??= `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return globalInstance.__clueDeskInstance;
}

/**
 * How long a walk's claim holds without renewal; a walk renews it every third of that. Short enough that a
 * walk of today orphaned by a dead instance does not hold up the follower that replaces it past 30 s.
 */
export const WALK_CLAIM_MS = 20_000;

const until = (ms: number) => sql`now() + ${`${ms} milliseconds`}::interval`;

/** Claims a day's walk for this instance; false while another instance holds it. */
export async function claimDayWalk(db: StoreDb, day: Day): Promise<boolean> {
  await db.insert(syncDays).values({ day }).onConflictDoNothing();
  const claimed = await db
    .update(syncDays)
    .set({ walker: instanceId(), walkingUntil: until(WALK_CLAIM_MS) })
    .where(and(eq(syncDays.day, day), or(isNull(syncDays.walkingUntil), lt(syncDays.walkingUntil, sql`now()`), eq(syncDays.walker, instanceId()))))
    .returning({ day: syncDays.day });
  return claimed.length > 0;
}

export async function renewDayWalk(db: StoreDb, day: Day): Promise<void> {
  await db
    .update(syncDays)
    .set({ walkingUntil: until(WALK_CLAIM_MS) })
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

/** Takes or renews a named lease for this instance; false while another instance holds it unexpired. */
export async function holdLease(db: StoreDb, name: string, ttlMs: number): Promise<boolean> {
  const held = await db
    .insert(leases)
    .values({ name, holder: instanceId(), expiresAt: until(ttlMs) })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder: instanceId(), expiresAt: until(ttlMs) },
      setWhere: or(eq(leases.holder, instanceId()), lt(leases.expiresAt, sql`now()`)),
    })
    .returning({ holder: leases.holder });
  return held.length > 0;
}

/**
 * Lets go of every claim this instance holds, leases and day walks (at shutdown): another instance takes the
 * follower over at its next check, and a day this one was walking is free at once, not when the claims lapse.
 */
export async function releaseClaims(db: StoreDb): Promise<void> {
  await db.delete(leases).where(eq(leases.holder, instanceId()));
  await db.update(syncDays).set({ walker: null, walkingUntil: null }).where(eq(syncDays.walker, instanceId()));
}
