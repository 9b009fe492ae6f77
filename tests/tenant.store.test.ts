import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueListResponse } from "@/lib/clues/schema";
import { closeStore, storeDb } from "@/lib/db/connection";
import { syncDays } from "@/lib/clues/store/tables";
import { storeMeta } from "@/lib/db/tables";
import { savedViews } from "@/lib/views/store/tables";
import { stopSync } from "@/lib/clues/store/sync";
import { useSimulator } from "./support/simulator";

/** A store holds one tenant: reopened for the same, it keeps its rows; a store of another tenant starts empty. */
useSimulator({ STORE_LIVE_INTERVAL_S: "3600" });
const day = addDays(chinaToday(), -2);

async function listDay(): Promise<{ ids: string[]; syncedAt: Date | null | undefined }> {
  const response = await getClueList(new Request(`http://localhost/api/clues?since=${day}&before=${addDays(day, 1)}`), undefined);
  const body = (await response.json()) as ClueListResponse;
  const [status] = await (await storeDb()).select().from(syncDays).where(eq(syncDays.day, day));
  return { ids: body.items.map((c) => c.customerId), syncedAt: status?.syncedAt };
}

async function reopen() {
  await stopSync();
  await closeStore();
}

describe("lead store: one tenant per store", () => {
  it("keeps its rows across a restart for the same tenant and empties a store another tenant filled", async () => {
    const first = await listDay();
    expect(first.syncedAt).toBeInstanceOf(Date);
    expect(first.ids.length).toBeGreaterThan(0);

    await reopen();
    const again = await listDay();
    expect(again.syncedAt).toEqual(first.syncedAt);
    expect(again.ids).toEqual(first.ids);

    // A saved view survives a restart for the same tenant.
    const view = { id: "view-1", owner: "user:alice", name: "本周线索", query: "type=1&status=clue" };
    await (await storeDb()).insert(savedViews).values(view);
    await reopen();
    expect(await (await storeDb()).select({ name: savedViews.name }).from(savedViews)).toEqual([{ name: view.name }]);

    // The store as another tenant (another base URL or app id, or an earlier simulated tenant) left it: its leads
    // and its saved views go (a view names the old tenant's fields, tags and items).
    // The check runs on the lead copy's first use after an open (the server's start makes that use at once).
    await (await storeDb()).update(storeMeta).set({ value: "another tenant" }).where(eq(storeMeta.key, "tenant"));
    await reopen();
    const other = await listDay();
    expect(await (await storeDb()).select().from(savedViews)).toEqual([]);
    expect(other.syncedAt!.getTime()).toBeGreaterThan(first.syncedAt!.getTime());
    expect(other.ids).toEqual(first.ids);
  }, 90_000); // three store opens, each compiling PGlite's WASM: seconds each on a busy machine
});
