import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { storeConfig } from "@/lib/db/config";
import { lockDataDir } from "@/lib/db/data-dir-lock";

/**
 * The lead store's one connection per process, on either engine, behind one Drizzle query layer:
 * - PGlite (Postgres compiled to WASM, in a worker thread of this process: pglite-thread.ts) under
 *   CLUE_DESK_DATA_DIR: nothing to install. It serves one process only, so a lock next to it (data-dir-lock.ts)
 *   turns a second process away with a clear message; it runs one query at a time and queues the rest.
 * - PostgreSQL through node-postgres when DATABASE_URL is set: a pool, shared by any number of instances.
 *
 * It knows no feature: each feature's tables are its own (a `tables.ts` in its own folder, gathered for migrations by
 * drizzle.config.ts), and queries name their tables themselves, so the connection needs no schema object.
 *
 * Next.js can evaluate a server module more than once (one copy per route bundle), so the handle lives on
 * `globalThis`, not in a module variable. Nothing opens at import: `next build` imports route modules and
 * must not touch a data dir a running server holds.
 */

export type StoreDb = PgDatabase<PgQueryResultHKT>;

type Store = { db: StoreDb; engine: "pglite" | "postgres"; close(): Promise<void> };

const MIGRATIONS_FOLDER = path.join(process.cwd(), "lib/db/migrations");
/** Any constant shared by every instance: the advisory lock that lets one of them migrate at a time. */
const MIGRATION_LOCK_KEY = 7_251_013;

const globalStore = globalThis as typeof globalThis & { __clueDeskStore?: Promise<Store>; __clueDeskStoreClosedForGood?: boolean };

async function openPglite(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir);
  const [{ PGliteThread }, { drizzle }, { migrate }] = await Promise.all([
    import("@/lib/db/pglite-thread"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const client = await PGliteThread.open(dataDir).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  const db = drizzle({ client: client.asClient() });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    // The next request tries the open again, and must find the data dir free.
    await client.close();
    lock.release();
    throw error;
  }
  return {
    db,
    engine: "pglite",
    async close() {
      await client.close();
      lock.release();
    },
  };
}

async function openPostgres(url: string, statementTimeoutMs: number): Promise<Store> {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  // A deadline on every statement: a runaway query is cancelled (answered as a clear 503) instead of holding a connection.
  const pool = new pg.Pool({ connectionString: url, max: 10, statement_timeout: statementTimeoutMs });
  pool.on("error", (error) => console.error(JSON.stringify({ event: "store_pool_error", error: error.message })));
  const db = drizzle({ client: pool });
  // Several instances may start at once: one migrates, the others wait and then find nothing to do.
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    // Building an index over a large table may take longer than a request's deadline.
    await client.query("SET statement_timeout = 0");
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.query("RESET statement_timeout").catch(() => undefined);
    client.release();
  }
  return { db, engine: "postgres", close: () => pool.end() };
}

/** The process's store, opened and migrated on first use. */
export function openStore(): Promise<Store> {
  if (globalStore.__clueDeskStoreClosedForGood) return Promise.reject(new Error("the lead store is closed: the server is stopping"));
  globalStore.__clueDeskStore ??= (() => {
    const { engine, statementTimeoutMs } = storeConfig();
    const opening = engine.kind === "postgres" ? openPostgres(engine.url, statementTimeoutMs) : openPglite(engine.dataDir);
    // A failed open is not cached: the next request tries again (a database that was down may be up).
    opening.catch(() => {
      globalStore.__clueDeskStore = undefined;
    });
    return opening;
  })();
  return globalStore.__clueDeskStore;
}

export async function storeDb(): Promise<StoreDb> {
  return (await openStore()).db;
}

/** Closes the store (tests, `npm run db:migrate`); the next use opens it again. */
export async function closeStore(): Promise<void> {
  const opened = globalStore.__clueDeskStore;
  globalStore.__clueDeskStore = undefined;
  if (opened) await (await opened).close();
}

/** Closes the store as the process stops (lib/db/shutdown.ts): a request still running fails rather than opening it again. */
export async function closeStoreForGood(): Promise<void> {
  globalStore.__clueDeskStoreClosedForGood = true;
  await closeStore();
}

/** Rows of a raw statement, the same on both drivers. */
export async function rows<T>(db: StoreDb, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
