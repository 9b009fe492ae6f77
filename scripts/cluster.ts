import { existsSync, mkdirSync, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { throwawayDatabase } from "./postgres";
import { type Child, freePort, runToEnd, startChild, stopChild, waitUntilOk } from "./processes";

/**
 * Several Clue Desk instances (`next start` of the production build) on one PostgreSQL database, as a load
 * balancer would have them: the cluster test and the bench's throughput section start them here. Each gets
 * the same environment but its own port; their output goes to `test-logs/cluster-<n>.log`.
 */

const NEXT_BIN = "node_modules/next/dist/bin/next";
const LOG_DIR = "test-logs";

export type Instance = { name: string; origin: string; pid: number; child: Child["child"] };
export type Cluster = { instances: Instance[]; databaseUrl: string; add(): Promise<Instance>; stop(): Promise<void> };

/** The production build, made when there is none (the e2e suite, which runs first in `npm test`, makes it). */
export async function ensureBuild(): Promise<void> {
  if (existsSync(".next/BUILD_ID")) return;
  await runToEnd("next build", [NEXT_BIN, "build"], process.env, 10 * 60_000);
}

/**
 * Starts `count` instances on a new database of the PostgreSQL server at `postgresUrl`, all with `env`. The
 * instances start one after another, as a rolling deployment would, so the second finds the migrations applied.
 * `add` starts one more with the same environment (a restarted instance, in a rolling restart).
 */
export async function startCluster(postgresUrl: string, count: number, env: Record<string, string>): Promise<Cluster> {
  await ensureBuild();
  const database = throwawayDatabase(postgresUrl, "clue_cluster");
  await database.create();
  const databaseUrl = database.url;
  const dataDir = mkdtempSync(path.join(tmpdir(), "clue-cluster-"));
  mkdirSync(LOG_DIR, { recursive: true });
  const instances: Instance[] = [];
  const stop = async () => {
    await Promise.all(instances.map((instance) => stopChild(instance.child)));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let started = 0;
  const add = async (): Promise<Instance> => {
    const n = ++started;
    const port = await freePort();
    const name = `instance ${n}`;
    const log = createWriteStream(path.join(LOG_DIR, `cluster-${n}.log`));
    const child = startChild(
      name,
      [NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(port)],
      { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, CLUE_DESK_DATA_DIR: dataDir, ...env },
      (chunk) => log.write(chunk),
    );
    const origin = `http://127.0.0.1:${port}`;
    const instance = { name, origin, pid: child.child.pid ?? 0, child: child.child };
    instances.push(instance);
    await waitUntilOk(`${origin}/api/health`, child, name);
    return instance;
  };
  try {
    for (let n = 1; n <= count; n++) await add();
  } catch (error) {
    await stop();
    throw error;
  }
  return { instances: [...instances], databaseUrl, add, stop };
}
