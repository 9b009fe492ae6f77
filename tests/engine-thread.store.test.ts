import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows, storeDb } from "@/lib/db/connection";

/**
 * The store's engine never holds the request thread: while one long query runs, timers, other requests' code and
 * the data dir lock's heartbeat keep running. On the embedded engine this is the worker thread's doing (in the
 * request thread, a query of seconds stopped everything for seconds); PostgreSQL is another process anyway.
 */
describe("lead store: the engine's thread", () => {
  it("keeps the event loop turning while a long query runs", async () => {
    const db = await storeDb();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    try {
      // About a second of work for the engine, whatever it is.
      await db.execute(sql`SELECT count(*) FROM generate_series(1, 4000000) AS g(n) WHERE n % 7 = 3`);
    } finally {
      clearInterval(ticker);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(200);
    // A free event loop ticks every 10 ms; held by the query, it ticks at most once.
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  });

  it("keeps a transaction's queries to itself: others wait, then see its committed writes or none of its rolled-back ones", async () => {
    const db = await storeDb();
    await db.execute(sql`CREATE TABLE IF NOT EXISTS engine_thread_probe (n int)`);
    let outsideSaw: number | undefined;
    await db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO engine_thread_probe VALUES (1)`);
      // A query from outside the transaction, sent while it is open, waits until it ends.
      const outside = rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM engine_thread_probe`).then(([row]) => (outsideSaw = row?.n));
      await tx.execute(sql`INSERT INTO engine_thread_probe VALUES (2)`);
      void outside;
    });
    await expect.poll(() => outsideSaw).toBe(2);
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO engine_thread_probe VALUES (3)`);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM engine_thread_probe`)).toEqual([{ n: 2 }]);
    await db.execute(sql`DROP TABLE engine_thread_probe`);
  });
});
