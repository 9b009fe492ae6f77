import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

/**
 * Every test file gets a lead store of its own (vitest setup file), on the engine the run names: with
 * `TEST_POSTGRES_URL` (a server to create throwaway databases on, as `npm run test:pg` starts one) a fresh
 * PostgreSQL database; otherwise an embedded PGlite store in a temp dir. Either way the store is real, and
 * it is removed afterwards. `storeEngine()` tells a test which one it runs on.
 */
const admin = process.env.TEST_POSTGRES_URL;
const dataDir = mkdtempSync(path.join(tmpdir(), "clue-store-"));
const database = `clue_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;

async function onAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

process.env.CLUE_DESK_DATA_DIR = dataDir;
if (admin) {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
  process.env.CLUE_DESK_SECRET = "test-secret-for-the-store-suite-0123456789";
}

beforeAll(async () => {
  if (admin) await onAdmin(`CREATE DATABASE ${database}`);
});

afterAll(async () => {
  const { stopSync } = await import("@/lib/store/sync");
  const { closeStore } = await import("@/lib/store/db");
  await stopSync();
  await closeStore();
  rmSync(dataDir, { recursive: true, force: true });
  if (admin) await onAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});
