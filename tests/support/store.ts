import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

/**
 * Gives a test file a lead store of its own, on the engine the run names: with `TEST_POSTGRES_URL` (a server
 * to create throwaway databases on, as `npm run test:pg` starts one) a fresh PostgreSQL database; otherwise an
 * embedded PGlite store in a temp dir. Either way the store is real, and is removed afterwards.
 * Call it before `useSimulator`, at the top of the file: it sets the environment the store reads.
 */
export function useStore(): { dataDir: () => string; engine: "pglite" | "postgres" } {
  const admin = process.env.TEST_POSTGRES_URL;
  const dataDir = mkdtempSync(path.join(tmpdir(), "clue-store-"));
  const database = `clue_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  beforeAll(async () => {
    process.env.CLUE_DESK_DATA_DIR = dataDir;
    if (admin) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${database}`);
      await client.end();
      const url = new URL(admin);
      url.pathname = `/${database}`;
      process.env.DATABASE_URL = url.toString();
      process.env.CLUE_DESK_SECRET = "test-secret-for-the-store-suite-0123456789";
    }
  });
  afterAll(async () => {
    const { stopSync } = await import("@/lib/store/sync");
    const { closeStore } = await import("@/lib/store/db");
    await stopSync();
    await closeStore();
    rmSync(dataDir, { recursive: true, force: true });
    if (admin) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    }
  });
  return { dataDir: () => dataDir, engine: admin ? "postgres" : "pglite" };
}
