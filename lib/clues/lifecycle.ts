import "server-only";
import type { StoreDb } from "@/lib/db/connection";
import { releaseDayWalks } from "@/lib/clues/store/claims";
import { startFollower, stopFollower } from "@/lib/clues/store/sync";
import { cluesDb } from "@/lib/clues/store/tenant";

/**
 * The lead copy at the server's start and stop (lib/start-store.ts): the store checked for the configured
 * tenant and today followed; at the stop the follower stopped and the days this instance walks let go.
 */

export async function startLeadCopy(): Promise<void> {
  await cluesDb();
  startFollower();
}

export async function releaseLeadCopy(db: StoreDb): Promise<void> {
  stopFollower();
  await releaseDayWalks(db);
}
