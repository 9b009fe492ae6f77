import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { lockDataDir, StoreLockedError } from "@/lib/db/data-dir-lock";
import { useSimulator } from "./support/simulator";
import { type StoreProcess, startStoreProcess } from "./support/store-processes";

/**
 * The embedded store's data-dir lock, with real processes holding a real PGlite data dir: two processes
 * writing one data dir destroy it, so a lock is never taken from a live holder on this host however long it
 * is paused (SIGSTOP), a dead holder's lock is taken at once, and a holder that loses its lock anyway exits
 * before writing again. Afterwards the data dir opens with every committed row.
 *
 * The steps run in order on one data dir.
 */
const simulator = useSimulator();
const home = mkdtempSync(path.join(tmpdir(), "clue-lock-"));
const dataDir = path.join(home, "pglite");
const lockPath = `${dataDir}.lock`;
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** What the old lock (proper-lockfile) counted as stale: a lock file untouched this long was taken. */
const OLD_STALE_MS = 15_000;

function storeProcess(mode: "serve" | "count"): StoreProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUE_DESK_DATA_DIR: home,
    TANMA_SIMULATOR_URL: simulator().baseUrl,
    STORE_LIVE_INTERVAL_S: "3600",
  };
  delete env.DATABASE_URL;
  return startStoreProcess(mode, env);
}

const opened = (e: Record<string, unknown>) => e.event === "store_open";
const wroteAfter = (n: number) => (e: Record<string, unknown>) => e.event === "wrote" && Number(e.n) > n;

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

let holder: StoreProcess;
let rowsWritten = 0;

// Each step starts PGlite in a child process: tens of seconds on a loaded 2-core machine.
describe("the embedded store's lock", { timeout: 240_000 }, () => {
  it("is not taken from a live holder paused for longer than the old stale time", async () => {
    holder = storeProcess("serve");
    await holder.waitFor(opened);
    await holder.waitFor(wroteAfter(0));

    holder.child.kill("SIGSTOP");
    await waitUntil(() => Date.now() - statSync(lockPath).mtimeMs > OLD_STALE_MS + 1_000, 3 * OLD_STALE_MS);
    const second = storeProcess("serve");
    expect(await second.exited()).toBe(1);
    expect(second.output()).toContain("is in use by another process");
    expect(second.events().some(opened)).toBe(false);

    holder.child.kill("SIGCONT");
    await holder.waitFor(wroteAfter(holder.lastWrite()));
    expect(holder.child.exitCode).toBeNull();
  });

  it("is taken at once from a holder killed with SIGKILL", async () => {
    holder.child.kill("SIGKILL");
    await holder.exited();
    rowsWritten += holder.lastWrite();

    // The lock an opening server takes first: the old one waited for the dead holder's lock to go stale (14–17 s).
    const startedAt = performance.now();
    (await lockDataDir(dataDir)).release();
    expect(performance.now() - startedAt).toBeLessThan(3_000);

    holder = storeProcess("serve");
    await holder.waitFor(wroteAfter(0));
  });

  it("makes a holder whose lock was taken away exit before it writes again", async () => {
    await holder.waitFor(wroteAfter(holder.lastWrite()));
    rmSync(lockPath, { recursive: true, force: true });
    expect(await holder.exited(10_000)).not.toBe(0);
    const events = holder.events();
    const lost = events.findIndex((e) => e.event === "store_lock_lost");
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(events.slice(lost + 1).filter((e) => e.event === "wrote")).toEqual([]);
    rowsWritten += holder.lastWrite();
  });

  it("leaves a data dir that opens with every committed row", async () => {
    const reader = storeProcess("count");
    expect(await reader.exited()).toBe(0);
    const rows = reader.events().find((e) => e.event === "rows");
    // A write may commit just before its process dies without printing it: at least what was reported.
    expect(Number(rows?.count)).toBeGreaterThanOrEqual(rowsWritten);
    expect(rowsWritten).toBeGreaterThan(2);
  });
});

describe("the embedded store's lock, left by holders that cannot be asked", () => {
  /** A lock as a holder would have left it, `ageMs` since it was last refreshed. */
  function leaveLock(dir: string, holder: object, ageMs: number) {
    mkdirSync(`${dir}.lock`);
    writeFileSync(path.join(`${dir}.lock`, "holder.json"), JSON.stringify({ token: "left-behind", started: null, ...holder }));
    const then = new Date(Date.now() - ageMs);
    utimesSync(`${dir}.lock`, then, then);
  }

  it("takes another host's lock only once it has gone unrefreshed for the stale time", async () => {
    const fresh = path.join(home, "other-host-fresh");
    leaveLock(fresh, { host: "another-host.invalid", pid: process.pid }, 1_000);
    await expect(lockDataDir(fresh)).rejects.toThrow(StoreLockedError);

    const stale = path.join(home, "other-host-stale");
    leaveLock(stale, { host: "another-host.invalid", pid: process.pid }, OLD_STALE_MS + 1_000);
    const lock = await lockDataDir(stale);
    lock.release();
    expect(existsSync(`${stale}.lock`)).toBe(false);
  });

  it("takes at once a lock naming a pid of this host that now belongs to another process", async () => {
    const reused = path.join(home, "reused-pid");
    // This process runs, but did not start at the time the lock records.
    leaveLock(reused, { host: hostname(), pid: process.pid, started: "1" }, 0);
    const lock = await lockDataDir(reused);
    lock.release();
  });
});
