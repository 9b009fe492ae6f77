import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./processes";

/**
 * A throwaway PostgreSQL server: a cluster in a temp dir (as the `postgres` user when run as root, since
 * PostgreSQL refuses to run as root), started on a free loopback port with fsync off; `stop` stops it and
 * removes the cluster. Binaries come from PG_BIN, else Debian's newest /usr/lib/postgresql/<v>/bin.
 */

export type ThrowawayPostgres = { url: string; bin: string; stop(): void };

function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, "bin")).find((bin) => existsSync(path.join(bin, "initdb")));
  if (!found) throw new Error("PostgreSQL is not installed: `apt-get install -y postgresql` (Debian), or set PG_BIN to its bin directory.");
  return found;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "clue-pg-"));
  const dataDir = path.join(dir, "data");
  if (asRoot) {
    const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gids = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    if (ids.status !== 0) throw new Error("Running as root needs the `postgres` user (Debian's postgresql package creates it).");
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }

  /** Runs a PostgreSQL binary, as the postgres user when we are root. */
  const pg = (tool: string, args: string[], options: SpawnSyncOptions = {}) => {
    const exe = path.join(bin, tool);
    const result = asRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", exe, ...args], { stdio: "ignore", ...options })
      : spawnSync(exe, args, { stdio: "ignore", ...options });
    if (result.status !== 0) throw new Error(`${tool} failed (exit ${result.status})`);
  };
  const stop = () => {
    try {
      pg("pg_ctl", ["-D", dataDir, "-m", "immediate", "stop"]);
    } catch {
      // Never started.
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const port = await freePort();
  try {
    pg("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"]);
    // 200 connections: a cluster test runs several instances, each with a pool of its own.
    pg("pg_ctl", ["-D", dataDir, "-l", path.join(dir, "server.log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "start"]);
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, bin, stop };
}

async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A database of its own on the server at `serverUrl`, named now (its `url` is known at once), created and dropped on demand. */
export function throwawayDatabase(serverUrl: string, prefix: string): { url: string; create(): Promise<void>; drop(): Promise<void> } {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    create: () => runOnServer(serverUrl, `CREATE DATABASE ${name}`),
    drop: () => runOnServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
