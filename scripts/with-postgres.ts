import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `tsx scripts/with-postgres.ts <command…>`: runs a command against a throwaway PostgreSQL server. It creates
 * a cluster in a temp dir (as the `postgres` user when run as root, since PostgreSQL refuses to run as root),
 * starts it on a free loopback port, runs the command with TEST_POSTGRES_URL pointing at it, then stops the
 * server and removes the cluster. Binaries come from PG_BIN, else Debian's newest /usr/lib/postgresql/<v>/bin.
 */

function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, "bin")).find((bin) => existsSync(path.join(bin, "initdb")));
  if (!found) {
    console.error("PostgreSQL is not installed: `apt-get install -y postgresql` (Debian), or set PG_BIN to its bin directory.");
    process.exit(1);
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: tsx scripts/with-postgres.ts <command> [args…]");
  process.exit(2);
}

const bin = postgresBin();
const asRoot = process.getuid?.() === 0;
const dir = mkdtempSync(path.join(tmpdir(), "clue-pg-"));
const dataDir = path.join(dir, "data");
if (asRoot) {
  const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gids = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (ids.status !== 0) {
    console.error("Running as root needs the `postgres` user (Debian's postgresql package creates it).");
    process.exit(1);
  }
  chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function pg(tool: string, args: string[], options: SpawnSyncOptions = {}) {
  const exe = path.join(bin, tool);
  const result = asRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", exe, ...args], { stdio: "inherit", ...options })
    : spawnSync(exe, args, { stdio: "inherit", ...options });
  if (result.status !== 0) throw new Error(`${tool} failed (exit ${result.status})`);
}

const port = await freePort();
let exitCode = 1;
try {
  pg("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"], { stdio: "ignore" });
  pg("pg_ctl", ["-D", dataDir, "-l", path.join(dir, "server.log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"], {
    stdio: "ignore",
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  console.info(`PostgreSQL (${bin}) on 127.0.0.1:${port} for: ${command.join(" ")}`);
  const run = spawnSync(command[0]!, command.slice(1), { stdio: "inherit", env: { ...process.env, TEST_POSTGRES_URL: url } });
  exitCode = run.status ?? 1;
} catch (error) {
  console.error(String(error));
} finally {
  try {
    pg("pg_ctl", ["-D", dataDir, "-m", "immediate", "stop"], { stdio: "ignore" });
  } catch {
    // Never started.
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
