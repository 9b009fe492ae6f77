import "server-only";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The embedded store's lock: PGlite serves one process, and two processes writing one data dir destroy it.
 *
 * Why not proper-lockfile (used before): it judges a lock by its age alone, so a holder paused past the stale
 * time (SIGSTOP, a frozen VM) lost it to a second server, woke up and kept writing; and a restart after
 * `kill -9` waited for the dead holder's lock to age. No option of it replaces that judgement, so this lock
 * names its holder (host, pid, the pid's start time, a token) and, on this host, asks the system whether the
 * holder still runs: a live holder's lock is never taken, however old, and a dead holder's is taken at once.
 * A holder on another host (a data dir on a network share) cannot be asked: its lock is taken only when its
 * heartbeat (the lock's mtime, refreshed every second) is older than STALE_MS. "This host" is the hostname, so
 * a container restarted with the same one takes its dead predecessor's lock at once; but two containers sharing
 * a data dir under one hostname cannot see each other's processes and would take each other's lock (Docker
 * gives each container its own hostname unless told otherwise).
 *
 * On disk: `<data dir>.lock/` (mkdir: atomic, one creator wins) holding `holder.json`. A dead holder's lock is
 * taken by mkdir of `taken-from-<holder's key>` inside it, so of several processes taking it at once one wins
 * and the others find the winner holding it. A lock without holder.json is one being created, or an older
 * version's (proper-lockfile's, an empty directory): it is judged by age alone.
 *
 * The holder checks every second that holder.json still names it. If not (the lock was removed or taken), it
 * has lost the lock: it logs one line and exits there and then, without closing PGlite (closing writes too).
 */

/** A lock untouched this long, whose holder cannot be asked (another host, or none named), is abandoned. */
const STALE_MS = 15_000;
const HEARTBEAT_MS = 1_000;
/** How long an open waits for a live holder to let go (a restart overlapping the old process's exit). */
const WAIT_MS = 5_000;
const RETRY_MS = 100;

type Holder = { host: string; pid: number; started: string | null; token: string };

export class StoreLockedError extends Error {
  override name = "StoreLockedError";
}

/**
 * When process `pid` started (clock ticks since boot, /proc/<pid>/stat's 22nd field), so that another process
 * given a dead holder's pid later (a container restarted) is not taken for it; null where there is no /proc.
 */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The 2nd field, the command in parentheses, may hold spaces: count from the last ")" (3rd field on).
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function runs(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  return holder.started === null || startTime(holder.pid) === holder.started;
}

const holderFile = (lockPath: string) => path.join(lockPath, "holder.json");

/** The lock's holder: null when none is named (yet, or legibly); undefined when there is no lock. */
function readHolder(lockPath: string): Holder | null | undefined {
  let text: string;
  try {
    text = readFileSync(holderFile(lockPath), "utf8");
  } catch (error) {
    if (!["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    try {
      statSync(lockPath);
      return null;
    } catch {
      return undefined;
    }
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return Number.isInteger(holder.pid) && holder.pid > 0 && typeof holder.host === "string" ? holder : null;
  } catch {
    return null;
  }
}

/** Names `me` the holder, replacing holder.json whole (rename), so a reader never sees half of it. */
function writeHolder(lockPath: string, me: Holder): void {
  const next = `${holderFile(lockPath)}.${me.token}`;
  writeFileSync(next, JSON.stringify(me));
  renameSync(next, holderFile(lockPath));
}

function abandoned(lockPath: string, holder: Holder | null): boolean {
  if (holder !== null && holder.host === hostname()) return !runs(holder);
  return olderThan(lockPath, STALE_MS);
}

const keyOf = (holder: Holder | null) => (holder === null ? "none" : String(holder.token).replace(/[^\w-]/g, "_"));

/** Whether `file` was last changed over `ms` ago; false when it is gone (the caller looks again). */
function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** One attempt: the lock for `me`, or the holder found in the way (null when none is named yet). */
function tryLock(lockPath: string, me: Holder): { locked: true } | { locked: false; holder: Holder | null } {
  try {
    mkdirSync(lockPath);
    writeHolder(lockPath, me);
    return { locked: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const holder = readHolder(lockPath);
  if (holder === undefined) return { locked: false, holder: null };
  if (!abandoned(lockPath, holder)) return { locked: false, holder };
  const marker = path.join(lockPath, `taken-from-${keyOf(holder)}`);
  try {
    mkdirSync(marker);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A marker this old under the same dead holder: its taker died between the two steps. Start afresh.
    if (code === "EEXIST" && olderThan(marker, STALE_MS)) rmSync(lockPath, { recursive: true, force: true });
    // Otherwise another process is taking it (EEXIST), or it was just released (ENOENT): look again.
    if (code === "EEXIST" || code === "ENOENT") return { locked: false, holder };
    throw error;
  }
  // Only a taker holding this marker may replace this holder, but the lock seen above may have been released
  // and made anew since: take it only if it still names the holder judged abandoned.
  if (keyOf(readHolder(lockPath) ?? null) !== keyOf(holder)) {
    rmSync(marker, { recursive: true, force: true });
    return { locked: false, holder };
  }
  writeHolder(lockPath, me);
  return { locked: true };
}

export type DataDirLock = { release(): void };

/** Locks `dataDir` for this process, or throws StoreLockedError naming the live holder. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const lockPath = `${dataDir}.lock`;
  const me: Holder = { host: hostname(), pid: process.pid, started: startTime(process.pid), token: randomUUID() };
  const deadline = performance.now() + WAIT_MS;
  for (let attempt = tryLock(lockPath, me); !attempt.locked; attempt = tryLock(lockPath, me)) {
    if (performance.now() > deadline) {
      const by = attempt.holder ? ` (pid ${attempt.holder.pid} on ${attempt.holder.host === me.host ? "this host" : attempt.holder.host})` : "";
      throw new StoreLockedError(
        `Clue Desk: the embedded store at ${dataDir} is in use by another process${by}. PGlite serves one process; ` +
          "stop the other server, point CLUE_DESK_DATA_DIR elsewhere, or set DATABASE_URL to share a PostgreSQL server.",
      );
    }
    await sleep(RETRY_MS);
  }

  const isMine = () => readHolder(lockPath)?.token === me.token;
  // Synchronous throughout, so nothing of this process runs between finding the lock lost and exiting.
  const heartbeat = setInterval(() => {
    try {
      if (isMine()) {
        const now = new Date();
        utimesSync(lockPath, now, now);
        return;
      }
    } catch {
      // The lock vanished between the two calls: lost too.
    }
    console.error(JSON.stringify({ event: "store_lock_lost", lock: lockPath, action: "exiting at once: another process may be writing the data dir" }));
    process.exit(1);
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const release = () => {
    clearInterval(heartbeat);
    process.off("exit", release);
    if (isMine()) rmSync(lockPath, { recursive: true, force: true });
  };
  // A process that exits without closing the store (process.exit anywhere) lets go of the lock too.
  process.on("exit", release);
  return { release };
}
