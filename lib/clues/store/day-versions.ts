import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { Day } from "@/lib/china-time";
import { syncDays } from "@/lib/clues/store/tables";
import type { StoreDb } from "@/lib/db/connection";

/**
 * Every write that can change an answer about a day marks the day with the next version of `dayVersions`
 * (lib/clues/store/tables.ts), in the write's own transaction: the answers kept for ranges holding the day
 * (lib/clues/store/answer-cache.ts) then stop being served.
 */
export const NEXT_VERSION = sql<number>`nextval('clue_day_versions')`;

export async function markDaysChanged(db: Pick<StoreDb, "update">, days: Iterable<Day>): Promise<void> {
  const changed = [...new Set(days)];
  if (changed.length > 0) await db.update(syncDays).set({ version: NEXT_VERSION }).where(inArray(syncDays.day, changed));
}

