import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { throwawayDatabase } from "../../scripts/postgres";

/**
 * Every test file gets a lead store of its own (vitest setup file), on the engine the run names: with
 * `TEST_POSTGRES_URL` (a server to create throwaway databases on, as `npm run test:pg` starts one) a fresh
 * PostgreSQL database; otherwise an embedded PGlite store in a temp dir. Either way the store is real, and
 * it is removed afterwards. `storeEngine()` tells a test which one it runs on.
 */
const admin = process.env.TEST_POSTGRES_URL;
const dataDir = mkdtempSync(path.join(tmpdir(), "clue-store-"));
const database = admin ? throwawayDatabase(admin, "clue_test") : undefined;

process.env.CLUE_DESK_DATA_DIR = dataDir;
if (database) {
  process.env.DATABASE_URL = database.url;
  process.env.CLUE_DESK_SECRET = "test-secret-for-the-store-suite-0123456789";
}

beforeAll(async () => {
  await database?.create();
});

afterAll(async () => {
  const { stopSync } = await import("@/lib/clues/store/sync");
  const { closeStore } = await import("@/lib/db/connection");
  await stopSync();
  await closeStore();
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});
