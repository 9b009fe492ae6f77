import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { clues, syncDays } from "@/lib/clues/store/tables";
import { type StoreDb, storeDb } from "@/lib/db/connection";
import { storeMeta } from "@/lib/db/tables";
import { forgetEveryView } from "@/lib/views/service";
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

async function claimForTenant(db: StoreDb): Promise<void> {
  const fingerprint = tenantFingerprint();
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(storeMeta).where(eq(storeMeta.key, "tenant")).for("update");
    if (current?.value === fingerprint) return;
    if (current !== undefined) {
      await tx.delete(clues);
      await tx.delete(syncDays);
      await forgetEveryView(tx);
      console.info(JSON.stringify({ event: "store_tenant_changed", action: "emptied the store (leads, days, saved views) for the configured tenant" }));
    }
    await tx.insert(storeMeta).values({ key: "tenant", value: fingerprint }).onConflictDoUpdate({ target: storeMeta.key, set: { value: fingerprint } });
  });
}

/**
 * Each opened connection's tenant check, run once per open (the server's start runs it at once, lib/start-store.ts;
 * a store closed and opened again, as tests do, is checked again). Keyed by the connection so that the
 * database core knows nothing of leads.
 */
const claims = new WeakMap<StoreDb, Promise<void>>();

/** The store, claimed for the configured tenant: every read and write of the lead copy goes through this. */
export async function cluesDb(): Promise<StoreDb> {
  const db = await storeDb();
  let claim = claims.get(db);
  if (claim === undefined) {
    claim = claimForTenant(db);
    claims.set(db, claim);
    // A failed check is not cached: the next use tries again, as a failed open is.
    claim.catch(() => claims.delete(db));
  }
  await claim;
  return db;
}
