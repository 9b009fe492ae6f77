import "server-only";
import { StoreLockedError } from "@/lib/db/data-dir-lock";
import { openStore } from "@/lib/db/connection";
import { releaseStoreOnSignals } from "@/lib/db/shutdown";
import { startFollower } from "@/lib/clues/store/sync";

/**
 * At server start: open the store (applying migrations), start following today, and let the store go on
 * SIGTERM/SIGINT (shutdown.ts). A store that cannot open stops the server with the reason: every list read
 * depends on it.
 */
export async function startStore(): Promise<void> {
  try {
    const { engine } = await openStore();
    console.info(JSON.stringify({ event: "store_open", engine }));
    startFollower();
    releaseStoreOnSignals();
  } catch (error) {
    console.error(error instanceof StoreLockedError ? error.message : `Clue Desk: cannot open the lead store: ${String(error)}`);
    process.exit(1);
  }
}
