import "server-only";
import path from "node:path";
import { z } from "zod";

/**
 * The lead store's settings, read once from the environment and checked at server start. Blank variables count
 * as unset. Intervals are in seconds in the environment and in milliseconds here.
 */

const seconds = (name: string, fallback: number, min = 0.1) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(31_536_000, { error: `${name} is too large` })
    .default(fallback)
    .transform((s) => Math.round(s * 1000));

const days = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of days` })
    .int({ error: `${name} must be a whole number of days` })
    .min(1, { error: `${name} must be at least 1` })
    .max(36_500, { error: `${name} is too large` })
    .default(fallback);

const envSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: "DATABASE_URL must be a postgres:// or postgresql:// URL" })
      .optional(),
    CLUE_DESK_DATA_DIR: z.string().default(".data"),
    CLUE_DESK_SECRET: z.string().min(32, { error: "CLUE_DESK_SECRET must be at least 32 characters" }).optional(),
    STORE_LIVE_INTERVAL_S: seconds("STORE_LIVE_INTERVAL_S", 15),
    STORE_TODAY_REWALK_S: seconds("STORE_TODAY_REWALK_S", 300),
    STORE_RECENT_MAX_AGE_S: seconds("STORE_RECENT_MAX_AGE_S", 900),
    STORE_OLD_MAX_AGE_S: seconds("STORE_OLD_MAX_AGE_S", 86_400),
    STORE_RETENTION_DAYS: days("STORE_RETENTION_DAYS", 366),
    STORE_UNREAD_PURGE_DAYS: days("STORE_UNREAD_PURGE_DAYS", 30),
    STORE_SYNC_CONCURRENCY: z.coerce
      .number({ error: "STORE_SYNC_CONCURRENCY must be a number" })
      .int({ error: "STORE_SYNC_CONCURRENCY must be a whole number" })
      .min(1, { error: "STORE_SYNC_CONCURRENCY must be at least 1" })
      .max(32, { error: "STORE_SYNC_CONCURRENCY must be at most 32" })
      .default(4),
    EXPORT_MAX_ROWS: z.coerce
      .number({ error: "EXPORT_MAX_ROWS must be a number" })
      .int({ error: "EXPORT_MAX_ROWS must be a whole number" })
      .min(1, { error: "EXPORT_MAX_ROWS must be at least 1" })
      .max(1_000_000, { error: "EXPORT_MAX_ROWS must be at most 1000000" })
      .default(100_000),
  })
  .refine((env) => env.DATABASE_URL === undefined || env.CLUE_DESK_SECRET !== undefined, {
    error:
      "with DATABASE_URL set, CLUE_DESK_SECRET (≥ 32 characters) is required: it keys the phone-number hashes, and every instance must use the same one",
  });

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
  /** Most leads one export may hold; a larger one is refused before it starts, so its time and memory stay bounded. */
  exportMaxRows: number;
};

export function parseStoreConfig(env: Readonly<Record<string, string | undefined>>): StoreConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`).join("\n");
    throw new Error(`Clue Desk: invalid lead store configuration\n${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.CLUE_DESK_DATA_DIR);
  return {
    engine: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    dataDir,
    secret: e.CLUE_DESK_SECRET,
    liveIntervalMs: e.STORE_LIVE_INTERVAL_S,
    todayRewalkMs: e.STORE_TODAY_REWALK_S,
    recentMaxAgeMs: e.STORE_RECENT_MAX_AGE_S,
    oldMaxAgeMs: e.STORE_OLD_MAX_AGE_S,
    retentionDays: e.STORE_RETENTION_DAYS,
    unreadPurgeDays: e.STORE_UNREAD_PURGE_DAYS,
    syncConcurrency: e.STORE_SYNC_CONCURRENCY,
    exportMaxRows: e.EXPORT_MAX_ROWS,
  };
}

let cached: StoreConfig | undefined;

export function storeConfig(): StoreConfig {
  cached ??= parseStoreConfig(process.env);
  return cached;
}
