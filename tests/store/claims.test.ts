import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDays, chinaToday } from "@/lib/china-time";
import { holdLease } from "@/lib/store/claims";
import { storeDb } from "@/lib/store/db";
import { leases, syncDays } from "@/lib/store/schema";
import { syncDay } from "@/lib/store/sync";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import { useSimulator } from "../support/simulator";

/**
 * Claims between instances sharing a store, seen from this one: another instance's claim (written into the
 * store as that instance would) is waited for, not walked over; a lapsed claim is taken.
 */
const simulator = useSimulator({ STORE_LIVE_INTERVAL_S: "3600" });
const today = chinaToday();
const listCalls = () => simulator().stats().byPath[TANMA_PATHS.clueList] ?? 0;

async function claimAsOtherInstance(day: string, seconds: number) {
  const db = await storeDb();
  await db
    .insert(syncDays)
    .values({ day, walker: "other-host:1:abc", walkingUntil: sql`now() + ${`${seconds} seconds`}::interval` })
    .onConflictDoUpdate({ target: syncDays.day, set: { walker: "other-host:1:abc", walkingUntil: sql`now() + ${`${seconds} seconds`}::interval` } });
}

describe("lead store: claims between instances", () => {
  it("waits for another instance's walk of a day and takes its result without calling Tanma", async () => {
    const day = addDays(today, -12);
    await claimAsOtherInstance(day, 60);
    simulator().resetStats();
    let settled = false;
    const waiting = syncDay(day).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(settled).toBe(false);
    // The other instance finishes its walk.
    const db = await storeDb();
    await db.update(syncDays).set({ syncedAt: new Date(), walker: null, walkingUntil: null }).where(eq(syncDays.day, day));
    await waiting;
    expect(listCalls()).toBe(0);
  });

  it("walks a day whose claim lapsed (its instance died)", async () => {
    const day = addDays(today, -13);
    await claimAsOtherInstance(day, -1);
    simulator().resetStats();
    await syncDay(day);
    expect(listCalls()).toBeGreaterThan(0);
    const [row] = await (await storeDb()).select().from(syncDays).where(eq(syncDays.day, day));
    expect(row?.syncedAt).toBeInstanceOf(Date);
    expect(row?.walker).toBeNull();
  });

  it("gives a lease to one holder until it lapses", async () => {
    const db = await storeDb();
    await db.insert(leases).values({ name: "job", holder: "other-host:1:abc", expiresAt: sql`now() + interval '60 seconds'` });
    expect(await holdLease(db, "job", 5_000)).toBe(false);
    await db.update(leases).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(leases.name, "job"));
    expect(await holdLease(db, "job", 5_000)).toBe(true);
    expect(await holdLease(db, "job", 5_000)).toBe(true);
  });
});
