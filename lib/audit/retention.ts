import "server-only";
import { purgeAudit } from "@/lib/audit/store/events";
import { storeDb } from "@/lib/db/connection";
import { holdLease } from "@/lib/db/leases";
import { serverEnv } from "@/lib/env";

/**
 * The audit trail's retention, scheduled by the trail itself: at start and then every hour, events older than
 * `AUDIT_RETENTION_DAYS` are dropped, by one instance of many (the holder of the `audit-retention` lease, kept
 * for two rounds, so another instance takes over within two hours of its holder's death). The timer does not
 * keep the process alive.
 */

const PURGE_EVERY_MS = 3_600_000;
const LEASE_MS = 2 * PURGE_EVERY_MS;

const globalRetention = globalThis as typeof globalThis & { __clueDeskAuditRetention?: NodeJS.Timeout };

async function purgeOnce(): Promise<void> {
  const db = await storeDb();
  if (!(await holdLease(db, "audit-retention", LEASE_MS))) return;
  await purgeAudit(db, serverEnv().AUDIT_RETENTION_DAYS);
}

function purge(): void {
  purgeOnce().catch((error: unknown) => console.error(JSON.stringify({ event: "audit_purge_failed", error: String(error).slice(0, 300) })));
}

/** Starts the hourly purge once per process (idempotent). */
export function startAuditRetention(): void {
  if (globalRetention.__clueDeskAuditRetention) return;
  globalRetention.__clueDeskAuditRetention = setInterval(purge, PURGE_EVERY_MS);
  globalRetention.__clueDeskAuditRetention.unref();
  purge();
}

export function stopAuditRetention(): void {
  clearInterval(globalRetention.__clueDeskAuditRetention);
  globalRetention.__clueDeskAuditRetention = undefined;
}
