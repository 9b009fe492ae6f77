import "server-only";
import { startAuditRetention, stopAuditRetention } from "@/lib/audit/retention";
import { releaseLeadCopy, startLeadCopy } from "@/lib/clues/lifecycle";
import { openStore, storeDb } from "@/lib/db/connection";
import { StoreLockedError } from "@/lib/db/data-dir-lock";
import { instanceId, releaseLeases } from "@/lib/db/leases";
import { releaseStoreOnSignals } from "@/lib/db/shutdown";
import { serverEnv } from "@/lib/env";
import { startNotifications, stopNotifications } from "@/lib/notifications/lifecycle";
import { labelInstance } from "@/lib/observability/metrics";
import { drainRequests } from "@/lib/server/drain";

/**
 * At server start (instrumentation.ts): open the store (applying migrations), check it holds the configured
 * tenant's leads and start following today, start the audit trail's retention and the notifications' sender
 * (a store holding subscriptions without CLUE_DESK_PUBLIC_URL stops the server), label this instance's metrics,
 * and on SIGTERM/SIGINT (lib/db/shutdown.ts) drain the requests in flight while the features let go of what
 * they hold, then let the store go. A store that cannot
 * open stops the server with the reason: every list read depends on it. This is the one module that wires the
 * database core to the features, so lib/db itself imports none.
 */
export async function startStore(): Promise<void> {
  try {
    const { engine } = await openStore();
    await startLeadCopy();
    console.info(JSON.stringify({ event: "store_open", engine }));
    startAuditRetention();
    await startNotifications();
    labelInstance(instanceId());
    releaseStoreOnSignals({
      async release() {
        stopAuditRetention();
        await stopNotifications();
        const db = await storeDb();
        await releaseLeadCopy(db);
        await releaseLeases(db);
      },
      drain: () => drainRequests(serverEnv().SHUTDOWN_GRACE_S * 1000),
    });
  } catch (error) {
    console.error(error instanceof StoreLockedError ? error.message : `Clue Desk: cannot open the lead store: ${String(error)}`);
    process.exit(1);
  }
}
