import { randomUUID } from "node:crypto";
import { count, like } from "drizzle-orm";
import { closeStore, storeDb } from "@/lib/db/connection";
import { savedViews } from "@/lib/views/store/tables";
import { startStore } from "@/lib/start-store";

/**
 * A process that holds the lead store as the server does, for tests that pause, kill or signal it
 * (tests/store-lock.test.ts, tests/shutdown.store.test.ts). Run with
 * `node --conditions=react-server --import tsx tests/support/store-process.ts <mode>` and the store's environment.
 *
 * - `serve`: opens the store through lib/start-store.ts (as instrumentation.ts does: the lock, migrations,
 *   today's follower, the signal handling), then writes one saved view every 50 ms, printing
 *   `{"event":"wrote","n":…}` after each commit (the rows a test may later count on), until a write fails.
 * - `count`: opens the store, prints `{"event":"rows","count":…}` (the rows any `serve` wrote), closes it and exits.
 */

const WRITER_OWNER = "store-process-writer";
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const mode = process.argv[2];
if (mode === "serve") {
  await startStore();
  const owner = `${WRITER_OWNER}:${process.pid}`;
  // Every write awaits the last, like one user's requests; a write the store refuses (it is closing) ends them.
  for (let n = 1; ; n++) {
    const now = new Date();
    try {
      await (await storeDb()).insert(savedViews).values({ id: randomUUID(), owner, name: `view ${n}`, query: "", createdAt: now, updatedAt: now });
    } catch (error) {
      say({ event: "write_failed", error: String(error) });
      break;
    }
    say({ event: "wrote", n });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
} else if (mode === "count") {
  const [row] = await (await storeDb()).select({ n: count() }).from(savedViews).where(like(savedViews.owner, `${WRITER_OWNER}:%`));
  say({ event: "rows", count: row?.n ?? 0 });
  await closeStore();
} else {
  throw new Error(`unknown mode ${mode}`);
}
