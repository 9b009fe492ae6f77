import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { eq, lt, or, sql } from "drizzle-orm";
import type { StoreDb } from "@/lib/db/connection";
import { leases } from "@/lib/db/tables";

/**
 * Coordination between Clue Desk instances sharing one PostgreSQL store (and, trivially, within one PGlite
 * process): a job such as today's follower runs in exactly one instance, under a named lease with an expiry,
 * kept in the store and judged by the database's clock, renewed while the job runs: an instance that dies
 * stops renewing, and its lease lapses for another to take.
 */

const globalInstance = globalThis as typeof globalThis & { __clueDeskInstance?: string };

/** This process, as claims name it. */
export function instanceId(): string {
  globalInstance.__clueDeskInstance ??= `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return globalInstance.__clueDeskInstance;
}

/** The database's clock `ms` from now, as claims and leases keep their expiries. */
export const fromNow = (ms: number) => sql`now() + ${`${ms} milliseconds`}::interval`;

/** Takes or renews a named lease for this instance; false while another instance holds it unexpired. */
export async function holdLease(db: StoreDb, name: string, ttlMs: number): Promise<boolean> {
  const held = await db
    .insert(leases)
    .values({ name, holder: instanceId(), expiresAt: fromNow(ttlMs) })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder: instanceId(), expiresAt: fromNow(ttlMs) },
      setWhere: or(eq(leases.holder, instanceId()), lt(leases.expiresAt, sql`now()`)),
    })
    .returning({ holder: leases.holder });
  return held.length > 0;
}

/** Lets go of every lease this instance holds (at shutdown): another instance takes each job over at its next check. */
export async function releaseLeases(db: StoreDb): Promise<void> {
  await db.delete(leases).where(eq(leases.holder, instanceId()));
}
