import "server-only";
import path from "node:path";
import { serverEnv } from "@/lib/env";

/** The lead store's settings, from the validated environment (lib/env.ts), in the units the store works in. */

export type StoreConfig = {
  engine: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };
  /** Directory for the embedded database and, without CLUE_DESK_SECRET, the generated secret. */
  dataDir: string;
  secret: string | undefined;
  /** How often today's follower asks Tanma for new arrivals. */
  liveIntervalMs: number;
  /** How often today is walked in full, catching edits and removals. */
  todayRewalkMs: number;
  /** A day of the last 7 is re-walked on read when its copy is older than this. */
  recentMaxAgeMs: number;
  /** An older day is re-walked on read when its copy is older than this. */
  oldMaxAgeMs: number;
  /** Days kept regardless of reads. */
  retentionDays: number;
  /** An older day is purged after this many days unread. */
  unreadPurgeDays: number;
  /** Day walks run at once (all within the Tanma limiter). */
  syncConcurrency: number;
  /** Most rows one export may hold; a larger one is refused before it starts, keeping server memory bounded. */
  exportMaxRows: number;
  /** Exports one instance streams at once; more are refused with 429. */
  exportMaxConcurrent: number;
  /** PostgreSQL cancels a statement running longer than this (PGlite cannot: it runs on the event loop). */
  statementTimeoutMs: number;
};

let cached: StoreConfig | undefined;

export function storeConfig(): StoreConfig {
  if (cached) return cached;
  const e = serverEnv();
  if (e.DATABASE_URL !== undefined && e.CLUE_DESK_SECRET === undefined) {
    throw new Error(
      "Clue Desk: with DATABASE_URL set, CLUE_DESK_SECRET (≥ 32 characters) is required: it keys the phone-number hashes, and every instance must use the same one",
    );
  }
  const dataDir = path.resolve(e.CLUE_DESK_DATA_DIR);
  cached = {
    engine: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    dataDir,
    secret: e.CLUE_DESK_SECRET,
    liveIntervalMs: Math.round(e.STORE_LIVE_INTERVAL_S * 1000),
    todayRewalkMs: Math.round(e.STORE_TODAY_REWALK_S * 1000),
    recentMaxAgeMs: Math.round(e.STORE_RECENT_MAX_AGE_S * 1000),
    oldMaxAgeMs: Math.round(e.STORE_OLD_MAX_AGE_S * 1000),
    retentionDays: e.STORE_RETENTION_DAYS,
    unreadPurgeDays: e.STORE_UNREAD_PURGE_DAYS,
    syncConcurrency: e.STORE_SYNC_CONCURRENCY,
    exportMaxRows: e.EXPORT_MAX_ROWS,
    exportMaxConcurrent: e.EXPORT_MAX_CONCURRENT,
    statementTimeoutMs: Math.round(e.STORE_STATEMENT_TIMEOUT_S * 1000),
  };
  return cached;
}

/** Whether other instances may share this store: a PostgreSQL server can; the embedded PGlite serves one process. */
export function storeIsShared(): boolean {
  return storeConfig().engine.kind === "postgres";
}
