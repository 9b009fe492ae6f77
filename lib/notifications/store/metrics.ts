import "server-only";
import { count, inArray } from "drizzle-orm";
import { storeDb } from "@/lib/db/connection";
import { notifyOutbox } from "@/lib/notifications/store/tables";
import { metrics } from "@/lib/observability/metrics";

/** The outbox's gauge (lib/observability/metrics.ts), read at scrape time: one small query, the same from every instance. */
export async function readOutboxGauges(): Promise<void> {
  const db = await storeDb();
  const counted = await db
    .select({ status: notifyOutbox.status, n: count() })
    .from(notifyOutbox)
    .where(inArray(notifyOutbox.status, ["pending", "failed"]))
    .groupBy(notifyOutbox.status);
  const gauge = metrics().outboxLeads;
  for (const status of ["pending", "failed"] as const) gauge.set({ status }, counted.find((c) => c.status === status)?.n ?? 0);
}
