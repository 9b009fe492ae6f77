import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { holdLease } from "@/lib/db/leases";
import { storeDb } from "@/lib/db/connection";
import { leases } from "@/lib/db/tables";
import { useSimulator } from "./support/simulator";
import { storeEngine } from "./support/store";
import { startStoreProcess } from "./support/store-processes";

/**
 * SIGTERM to a process holding the store (opened as the server opens it, following today): it lets go before
 * it exits. On PostgreSQL another instance can take the follower's lease at once, not when it lapses; on
 * PGlite the data dir is closed and unlocked, and the next process opens it with every row.
 */
const simulator = useSimulator();
const home = mkdtempSync(path.join(tmpdir(), "clue-shutdown-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The store process's environment: this file's PostgreSQL database, or a PGlite data dir of its own. */
function storeProcessEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CLUE_DESK_DATA_DIR: home, TANMA_SIMULATOR_URL: simulator().baseUrl };
  if (storeEngine() === "pglite") delete env.DATABASE_URL;
  return env;
}

const opened = (e: Record<string, unknown>) => e.event === "store_open";
const wrote = (e: Record<string, unknown>) => e.event === "wrote";

// Each test opens the store in a child process: on PGlite, tens of seconds on a loaded 2-core machine.
describe("the store at SIGTERM", { timeout: 240_000 }, () => {
  it.runIf(storeEngine() === "postgres")("releases the follower's lease for another instance to take at once", async () => {
    const serving = startStoreProcess("serve", storeProcessEnv());
    await serving.waitFor(wrote);
    const db = await storeDb();
    const holderOf = async () => (await db.select().from(leases).where(eq(leases.name, "follower")))[0]?.holder;
    // The other process takes the lease in its first follower step; then this one cannot.
    const itsId = `${hostname()}:${serving.child.pid}:`;
    while (!(await holderOf())?.startsWith(itsId)) await sleep(50);
    expect(await holdLease(db, "follower", 15_000)).toBe(false);

    serving.child.kill("SIGTERM");
    const exit = await serving.exited(10_000);
    expect(await holdLease(db, "follower", 15_000)).toBe(true);
    expect(serving.events().some((e) => e.event === "store_closed")).toBe(true);
    expect(exit).toBe(143);
  });

  it.runIf(storeEngine() === "pglite")("closes the data dir and removes its lock, for the next process to open at once", async () => {
    const serving = startStoreProcess("serve", storeProcessEnv());
    await serving.waitFor(opened);
    await serving.waitFor(wrote);

    serving.child.kill("SIGTERM");
    const exit = await serving.exited(10_000);
    expect(existsSync(path.join(home, "pglite.lock"))).toBe(false);
    expect(serving.events().some((e) => e.event === "store_closed")).toBe(true);
    expect(exit).toBe(143);

    const reader = startStoreProcess("count", storeProcessEnv());
    expect(await reader.exited()).toBe(0);
    expect(Number(reader.events().find((e) => e.event === "rows")?.count)).toBeGreaterThanOrEqual(serving.lastWrite());
  });
});
