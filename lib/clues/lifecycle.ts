import "server-only";
import type { StoreDb } from "@/lib/db/connection";
import { releaseDayWalks } from "@/lib/clues/store/claims";
import { startFollower, stopFollower } from "@/lib/clues/store/sync";
import { cluesDb } from "@/lib/clues/store/tenant";
import { readStoreGauges } from "@/lib/clues/store/metrics";
import { onScrape } from "@/lib/observability/metrics";

/**
 * The lead copy at the server's start and stop (lib/start-store.ts): the store checked for the configured
 * tenant, today followed and the store's gauges read at each metrics scrape; at the stop the follower stopped and the days this instance walks let go.
 */

export async function startLeadCopy(): Promise<void> {
  await cluesDb();
  startFollower();
  onScrape("lead store", () => readStoreGauges());
}

export async function releaseLeadCopy(db: StoreDb): Promise<void> {
  await stopFollower();
  await releaseDayWalks(db);
}
