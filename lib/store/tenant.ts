import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { StoreDb } from "@/lib/store/db";
import { clues, savedViews, storeMeta, syncDays } from "@/lib/store/schema";
import { serverEnv } from "@/lib/env";
import { tanmaConfig } from "@/lib/tanma/config";

/**
 * A store holds one tenant's leads. Its rows are tagged with the tenant they came from (Tanma's base URL and
 * app id, plus the built-in simulator's session: `npm start` generates that tenant anew at each start), and a
 * store opened for another tenant is emptied first, so a switch from the simulator to the real tenant (or a
 * new simulated one) never shows the other's leads. Saved views go too: their filters name the other tenant's
 * fields, tags and items. The audit trail stays: it is a record of what people did, whichever tenant it was.
 */
function tenantFingerprint(): string {
  const { baseUrl, appId } = tanmaConfig();
  const session = serverEnv().CLUE_DESK_SIMULATOR_SESSION ?? "";
  return createHash("sha256").update([baseUrl, appId, session].join("\n")).digest("hex");
}

export async function claimForTenant(db: StoreDb): Promise<void> {
  const fingerprint = tenantFingerprint();
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(storeMeta).where(eq(storeMeta.key, "tenant")).for("update");
    if (current?.value === fingerprint) return;
    if (current !== undefined) {
      await tx.delete(clues);
      await tx.delete(syncDays);
      await tx.delete(savedViews);
      console.info(JSON.stringify({ event: "store_tenant_changed", action: "emptied the store (leads, days, saved views) for the configured tenant" }));
    }
    await tx.insert(storeMeta).values({ key: "tenant", value: fingerprint }).onConflictDoUpdate({ target: storeMeta.key, set: { value: fingerprint } });
  });
}
