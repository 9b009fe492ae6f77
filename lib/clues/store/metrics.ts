import "server-only";
import { count, isNotNull, isNull, min, sql } from "drizzle-orm";
import { chinaToday } from "@/lib/china-time";
import { clues, syncDays } from "@/lib/clues/store/tables";
import { cluesDb } from "@/lib/clues/store/tenant";
import { metrics } from "@/lib/observability/metrics";

/**
 * The lead store's gauges (lib/observability/metrics.ts), read at scrape time: three small queries over the
 * whole store, the same from every instance.
 */
export async function readStoreGauges(now = Date.now()): Promise<void> {
  const db = await cluesDb();
  const [[leads], [days], [today], [unsynced]] = await Promise.all([
    db.select({ n: count() }).from(clues),
    db.select({ n: count() }).from(syncDays).where(isNotNull(syncDays.syncedAt)),
    db.select({ checkedAt: syncDays.checkedAt }).from(syncDays).where(sql`${syncDays.day} = ${chinaToday(now)}`),
    db.select({ n: count(), oldestRead: min(syncDays.lastReadAt) }).from(syncDays).where(isNull(syncDays.syncedAt)),
  ]);
  const gauges = metrics();
  gauges.storeLeads.set(leads?.n ?? 0);
  gauges.storeDays.set(days?.n ?? 0);
  if (today?.checkedAt) gauges.liveLag.set(Math.max(0, (now - today.checkedAt.getTime()) / 1000));
  else gauges.liveLag.reset();
  gauges.unsyncedReadDays.set(unsynced?.n ?? 0);
  gauges.oldestUnsyncedRead.set(unsynced?.oldestRead ? Math.max(0, (now - unsynced.oldestRead.getTime()) / 1000) : 0);
}
