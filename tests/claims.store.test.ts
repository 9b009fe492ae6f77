import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDays, chinaToday } from "@/lib/china-time";
import { claimDayWalk, releaseDayWalks } from "@/lib/clues/store/claims";
import { holdLease, releaseLeases } from "@/lib/db/leases";
import { storeDb } from "@/lib/db/connection";
import { syncDays } from "@/lib/clues/store/tables";
import { leases } from "@/lib/db/tables";
import { syncDay } from "@/lib/clues/store/sync";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import { useSimulator } from "./support/simulator";

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

  it("releases this instance's lease and day walks at once, and no other instance's", async () => {
    const db = await storeDb();
    const day = addDays(today, -14);
    const othersDay = addDays(today, -15);
    expect(await holdLease(db, "released-job", 60_000)).toBe(true);
    expect(await claimDayWalk(db, day)).toBe(true);
    await db.insert(leases).values({ name: "others-job", holder: "other-host:1:abc", expiresAt: sql`now() + interval '60 seconds'` });
    await claimAsOtherInstance(othersDay, 60);

    await releaseLeases(db);
    await releaseDayWalks(db);

    // Another instance takes them now, not when they would have lapsed.
    const [lease] = await db.select().from(leases).where(eq(leases.name, "released-job"));
    expect(lease).toBeUndefined();
    const [walk] = await db.select().from(syncDays).where(eq(syncDays.day, day));
    expect(walk).toMatchObject({ walker: null, walkingUntil: null });
    const [othersLease] = await db.select().from(leases).where(eq(leases.name, "others-job"));
    expect(othersLease?.holder).toBe("other-host:1:abc");
    const [othersWalk] = await db.select().from(syncDays).where(eq(syncDays.day, othersDay));
    expect(othersWalk?.walker).toBe("other-host:1:abc");
  });
});
