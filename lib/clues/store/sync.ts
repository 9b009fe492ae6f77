import "server-only";
import { and, eq, getTableColumns, inArray, lt, max, notInArray, sql } from "drizzle-orm";
import { addDays, chinaToday, type Day } from "@/lib/china-time";
import { MAX_PAGE_SIZE } from "@/lib/clues/limits";
import { normalizeCursor } from "@/lib/clues/normalize";
import { claimDayWalk, releaseDayWalk, renewDayWalk, WALK_CLAIM_MS, waitForOtherWalk } from "@/lib/clues/store/claims";
import { storeConfig } from "@/lib/db/config";
import type { StoreDb } from "@/lib/db/connection";
import { holdLease } from "@/lib/db/leases";
import { enqueueNewLeads } from "@/lib/notifications/service";
import { dayFreshness } from "@/lib/clues/store/freshness";
import { dayOf, toRow } from "@/lib/clues/store/records";
import { markDaysChanged, NEXT_VERSION } from "@/lib/clues/store/day-versions";
import { cluesDb } from "@/lib/clues/store/tenant";
import { readTouchesInBackground, touchReaderIdle } from "@/lib/clues/store/touch-reader";
import { clues, type StoredRecord, syncDays } from "@/lib/clues/store/tables";
import { TooManyRequestsError } from "@/lib/errors";
import { describeFailure, encodeFailure } from "@/lib/clues/store/sync-failure";
import type { SyncFailure } from "@/lib/clues/schema";
import { listCluesByCreateTime, type UpstreamOptions } from "@/lib/tanma/client";
import { FairConcurrency } from "@/lib/tanma/fair-limiter";
import { TanmaError, UpstreamBusyError } from "@/lib/tanma/errors";
import { metrics } from "@/lib/observability/metrics";
import { inCurrentTrace, inSpan } from "@/lib/observability/tracing";

/**
 * Keeps the store's copy of the clue feed fresh, one China day at a time.
 *
 * A day's sync walks `list-by-create-time-asc` over [day 00:00:00, next day 00:00:00) to the end of its cursor
 * and only then replaces the day's rows, in one transaction: a lead the walk no longer returns disappears,
 * and a walk that fails part way changes nothing. Concurrent requests for one day share one walk; walks run
 * a few at a time, each call waiting its turn at the Tanma client's limiter.
 *
 * Today is followed live: every interval one call continues after the newest stored lead (`since` inclusive,
 * ids already stored dropped), whether or not Tanma ends a listing with a cursor.
 *
 * The state lives on `globalThis`: Next.js may load this module once per route bundle, and there must be one
 * walk per day and one follower per process.
 */

type SyncState = {
  walks: Map<Day, Promise<void>>;
  /** When each user last forced each day (`user\nday`). */
  forcedAt: Map<string, number>;
  /** Days each user's forced syncs have queued or walking now. */
  forcedQueued: Map<string, number>;
  /** Day walks at once, taken in turns by whom they are walked for (a user forcing them, or no one: reads, the follower). */
  walkers: FairConcurrency<string | symbol>;
  follower?: NodeJS.Timeout;
  following?: Promise<void>;
  /** The follower's lease being asked for now: a stop waits for it, so that the lease is not taken again after its release. */
  leaseCheck?: Promise<boolean>;
  /** Set at shutdown: a read (which starts the follower if need be) no longer starts it. */
  followerStopped?: boolean;
  lastPurgeAt: number;
  lastAnalyzeAt: number;
};

const globalSync = globalThis as typeof globalThis & { __clueDeskSync?: SyncState };

function state(): SyncState {
  globalSync.__clueDeskSync ??= {
    walks: new Map(),
    forcedAt: new Map(),
    forcedQueued: new Map(),
    walkers: new FairConcurrency(storeConfig().syncConcurrency),
    lastPurgeAt: 0,
    lastAnalyzeAt: 0,
  };
  return globalSync.__clueDeskSync;
}

const INSERT_BATCH = 500;
/** Leads of a refused batch tried one by one before, none stored, the batch's failure is taken for the store's. */
const REFUSALS_BEFORE_GIVING_UP = 5;
const PURGE_EVERY_MS = 3_600_000;

const dayRange = (day: Day) => ({ since: `${day} 00:00:00`, before: `${addDays(day, 1)} 00:00:00` });

/** Every clue Tanma lists in `[since, before)`, following its cursor to the end. */
async function walk(since: string, before: string, upstream: UpstreamOptions = {}): Promise<StoredRecord[]> {
  const found: StoredRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await listCluesByCreateTime({ since, before, size: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) }, upstream);
    found.push(...page.list);
    cursor = normalizeCursor(page.nextCursor, page.list.length);
  } while (cursor !== null);
  return found;
}

/** Columns a walk does not write: the key, and the first touch the touch reader keeps beside the lead. */
const KEPT_COLUMNS: ReadonlySet<string> = new Set(["customerId", "firstTouchAt", "firstTouchBy", "touchCheckAt"]);

/** On a conflict every column but the kept ones takes the incoming row's value. */
const REFRESHED_COLUMNS = Object.fromEntries(
  Object.entries(getTableColumns(clues))
    .filter(([key]) => !KEPT_COLUMNS.has(key))
    .map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
);

/**
 * Inserts or refreshes rows; `storedAt` marks them as written now. A batch the store refuses is written again
 * lead by lead, each in a savepoint, so one lead the store cannot hold is logged and left out instead of costing
 * the others their day; when no lead of a batch can be stored, the store itself is the trouble and that is thrown.
 * The days written to are marked changed, a lead's former day too (Tanma moved its create time). Run it in a
 * transaction, so the marks commit with the rows. Answers how many leads were left out.
 */
async function upsert(db: Pick<StoreDb, "transaction" | "selectDistinct" | "update">, records: readonly StoredRecord[], storedAt: Date): Promise<number> {
  if (records.length === 0) return 0;
  const formerDays = await db
    .selectDistinct({ day: clues.day })
    .from(clues)
    .where(inArray(clues.customerId, records.map((r) => r.customerId)));
  let skipped = 0;
  for (let i = 0; i < records.length; i += INSERT_BATCH) {
    const batch = records.slice(i, i + INSERT_BATCH);
    try {
      await db.transaction((savepoint) => insertRows(savepoint, batch, storedAt));
      continue;
    } catch (batchError) {
      if (batch.length === 1) throw batchError;
    }
    let stored = 0;
    let refused = 0;
    let lastError: unknown;
    for (const record of batch) {
      try {
        await db.transaction((savepoint) => insertRows(savepoint, [record], storedAt));
        stored++;
      } catch (error) {
        refused++;
        lastError = error;
        // Nothing stored after several refusals: the store itself is the trouble, not these leads.
        if (stored === 0 && refused >= REFUSALS_BEFORE_GIVING_UP) break;
        console.error(JSON.stringify({ event: "store_lead_skipped", level: "error", customerId: record.customerId, error: storeErrorText(error) }));
      }
    }
    if (stored === 0) throw lastError;
    skipped += refused;
  }
  await markDaysChanged(db, [...formerDays.map((r) => r.day), ...records.map(dayOf)]);
  return skipped;
}

async function insertRows(db: Pick<StoreDb, "insert">, records: readonly StoredRecord[], storedAt: Date): Promise<void> {
  await db
    .insert(clues)
    .values(records.map((record) => ({ ...toRow(record), storedAt })))
    .onConflictDoUpdate({ target: clues.customerId, set: REFRESHED_COLUMNS });
}

async function walkDay(day: Day, upstream: UpstreamOptions): Promise<void> {
  const db = await cluesDb();
  const requestedAt = new Date();
  // Another instance walking the day now: wait for its result instead of walking it twice.
  while (!(await claimDayWalk(db, day))) {
    if ((await waitForOtherWalk(db, day, requestedAt)) === "done") return;
  }
  const renewal = setInterval(() => void renewDayWalk(db, day).catch(() => undefined), WALK_CLAIM_MS / 3);
  try {
    await walkAndReplaceDay(db, day, upstream);
    await refreshStatistics(db);
  } finally {
    clearInterval(renewal);
    await releaseDayWalk(db, day).catch(() => undefined);
  }
}

async function walkAndReplaceDay(db: StoreDb, day: Day, upstream: UpstreamOptions): Promise<void> {
  const startedAt = new Date();
  const { since, before } = dayRange(day);
  try {
    const records = await walk(since, before, upstream);
    await db.transaction(async (tx) => {
      const ids = records.map((r) => r.customerId);
      // Rows written after the walk began (a live arrival, a detail write-back) are newer than the walk's view.
      await tx
        .delete(clues)
        .where(and(eq(clues.day, day), lt(clues.storedAt, startedAt), ids.length > 0 ? notInArray(clues.customerId, ids) : undefined));
      const skipped = await upsert(tx, records, startedAt);
      // A new version even when nothing was written: the walk may have deleted leads.
      const done = { syncedAt: startedAt, checkedAt: startedAt, rowCount: records.length - skipped, lastError: null, failedAt: null, version: NEXT_VERSION };
      await tx.insert(syncDays).values({ day, ...done }).onConflictDoUpdate({ target: syncDays.day, set: done });
    });
    metrics().storeWalks.inc({ kind: "day", outcome: "ok" });
  } catch (error) {
    metrics().storeWalks.inc({ kind: "day", outcome: "failed" });
    const failure = { lastError: encodeFailure(describeFailure(error)), failedAt: new Date() };
    await db
      .insert(syncDays)
      .values({ day, ...failure })
      .onConflictDoUpdate({ target: syncDays.day, set: failure })
      .catch(() => undefined);
    console.error(JSON.stringify({ event: "store_sync_failed", day, error: storeErrorText(error) }));
    throw error;
  }
}

/** Statistics are refreshed at most this often; a burst of day walks shares one refresh. */
const ANALYZE_EVERY_MS = 60_000;

/**
 * The planner's statistics follow the rows: without them it misjudges a range's size and sorts a whole range
 * for every keyset page (300 ms a page instead of 11 at 100,000 leads). PostgreSQL's autovacuum would do it
 * in time; PGlite has none, so the store does it after walks.
 */
async function refreshStatistics(db: StoreDb): Promise<void> {
  const sync = state();
  if (Date.now() - sync.lastAnalyzeAt < ANALYZE_EVERY_MS) return;
  sync.lastAnalyzeAt = Date.now();
  await db.execute(sql`ANALYZE ${clues}`);
}

/** A failure for the server log: Tanma's as it is, the store's as the database's own message, not the statement or its parameters. */
function storeErrorText(error: unknown): string {
  if (TanmaError.is(error) || UpstreamBusyError.is(error)) return error.message.slice(0, 300);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 300) : String(cause).slice(0, 300);
}

/** Whom a walk is for when no user forced it: reads waiting for a day, background refreshes, the follower. */
const NO_ONE = Symbol("no one");

/**
 * Walks a day now, or joins the walk of it already under way. Rejects when the walk fails. A walk `user`
 * forced takes that user's turns, among the walks and in Tanma's budget alike, so forcing many days delays
 * others by one walk and one call per turn.
 */
export function syncDay(day: Day, user?: string): Promise<void> {
  const { walks, walkers } = state();
  let walking = walks.get(day);
  if (walking === undefined) {
    const upstream: UpstreamOptions = user === undefined ? {} : { user, waitForTurn: true };
    const walkTraced = inCurrentTrace(() => inSpan("store.walk_day", { "clue_desk.day": day }, () => walkDay(day, upstream)));
    walking = walkers.run(user ?? NO_ONE, walkTraced).finally(() => walks.delete(day));
    walks.set(day, walking);
  }
  return walking;
}

/** Walks a day in the background; its failure is recorded on the day, not thrown. */
export function refreshInBackground(day: Day): void {
  syncDay(day).catch(() => undefined);
}

export type DayStatus = {
  day: Day;
  syncedAt: Date | null;
  checkedAt: Date | null;
  lastError: string | null;
  failedAt: Date | null;
  /** Changes with every write to the day (`dayVersions`). */
  version: number;
};

/** A day's read is recorded at most this often: retention counts in days, and a read should not cost a write. */
const READ_MARK_INTERVAL_MS = 3_600_000;

/**
 * Each day's status, oldest first, after recording the read (retention keeps what is read) and starting the
 * background refresh of every stale day. Days after today have nothing to walk and are left out.
 */
export async function readDays(days: readonly Day[], now = Date.now()): Promise<DayStatus[]> {
  const today = chinaToday(now);
  const wanted = days.filter((day) => day <= today);
  if (wanted.length === 0) return [];
  const db = await cluesDb();
  const byDay = new Map((await db.select().from(syncDays).where(inArray(syncDays.day, wanted))).map((row) => [row.day, row]));
  const unmarked = wanted.filter((day) => (byDay.get(day)?.lastReadAt.getTime() ?? 0) < now - READ_MARK_INTERVAL_MS);
  if (unmarked.length > 0) {
    const marked = await db
      .insert(syncDays)
      .values(unmarked.map((day) => ({ day, lastReadAt: new Date(now) })))
      .onConflictDoUpdate({ target: syncDays.day, set: { lastReadAt: new Date(now) } })
      .returning();
    for (const row of marked) byDay.set(row.day, row);
  }
  const policy = storeConfig();
  return wanted.map((day) => {
    const row = byDay.get(day)!;
    const status: DayStatus = {
      day,
      syncedAt: row.syncedAt,
      checkedAt: row.checkedAt,
      lastError: row.lastError,
      failedAt: row.failedAt,
      version: row.version,
    };
    if (status.syncedAt !== null && dayFreshness(day, status.syncedAt, now, today, policy) === "stale") refreshInBackground(day);
    return status;
  });
}

/** A day a user forced less than this long ago is not forced again by them: the 刷新 button's rate limit. */
const FORCED_SYNC_MIN_INTERVAL_MS = 10_000;
/** Days one forced sync walks: the newest of its range; older ones are left to reads (answered as skipped). */
export const FORCED_SYNC_MAX_DAYS = 31;
/** Days one user's forced syncs may have queued or walking at once; past that a forced sync is a 429. */
export const FORCED_SYNC_MAX_QUEUED_DAYS = 62;

export type ForcedSync = { walked: Day[]; skipped: Day[]; failed: { day: Day; reason: SyncFailure }[] };

/**
 * A forced sync (the pages' 刷新) of `days` for `user`: walks the newest `FORCED_SYNC_MAX_DAYS` days up to
 * today, less those the user forced moments ago, and resolves when every walk has finished or failed. Refused
 * at once with `TooManyRequestsError` while the user's forced walks would queue more than
 * `FORCED_SYNC_MAX_QUEUED_DAYS` days; once admitted, `beforeWalking` (the audit record) runs first, and its
 * failure is the answer, with nothing walked.
 */
export async function forceSync(days: readonly Day[], user: string, beforeWalking: () => Promise<unknown>, now = Date.now()): Promise<ForcedSync> {
  const { forcedAt, forcedQueued } = state();
  for (const [key, at] of forcedAt) if (now - at >= FORCED_SYNC_MIN_INTERVAL_MS) forcedAt.delete(key);
  const wanted = days.filter((day) => day <= chinaToday(now)).slice(-FORCED_SYNC_MAX_DAYS);
  const walking = wanted.filter((day) => !forcedAt.has(`${user}\n${day}`));
  const skipped = days.filter((day) => !walking.includes(day));
  const queued = forcedQueued.get(user) ?? 0;
  if (walking.length > 0 && queued + walking.length > FORCED_SYNC_MAX_QUEUED_DAYS) {
    // A day is a few calls of the user's share of Tanma's budget: about half a second each.
    throw new TooManyRequestsError(`你的刷新还有 ${queued} 天在排队，请等它们完成后再刷新 (forced syncs queued)`, Math.max(1, Math.ceil(queued / 2)));
  }
  // Reserved before anything is awaited, so that concurrent requests cannot all pass the check above.
  for (const day of walking) forcedAt.set(`${user}\n${day}`, now);
  forcedQueued.set(user, queued + walking.length);
  const release = (count: number) => {
    const left = (forcedQueued.get(user) ?? count) - count;
    if (left > 0) forcedQueued.set(user, left);
    else forcedQueued.delete(user);
  };
  try {
    await beforeWalking();
  } catch (error) {
    release(walking.length);
    for (const day of walking) forcedAt.delete(`${user}\n${day}`);
    throw error;
  }
  // Newest first: today is what a 刷新 is mostly for, and another user's 刷新 of it joins this walk.
  const results = await Promise.allSettled(walking.toReversed().map((day) => syncDay(day, user).finally(() => release(1))));
  results.reverse();
  const failed = results.flatMap((result, i) => (result.status === "rejected" ? [{ day: walking[i]!, reason: describeFailure(result.reason) }] : []));
  return { walked: walking.filter((day) => !failed.some((f) => f.day === day)), skipped, failed };
}

/** One follower step (the touch reader's passes start beside it): today's new arrivals, today's periodic re-walk, yesterday's last walk, the retention of days. */
async function followToday(): Promise<void> {
  const now = Date.now();
  const today = chinaToday(now);
  const yesterday = addDays(today, -1);
  const db = await cluesDb();
  const known = await db.select().from(syncDays).where(inArray(syncDays.day, [today, yesterday]));
  const todayRow = known.find((row) => row.day === today);
  const yesterdayRow = known.find((row) => row.day === yesterday);
  const policy = storeConfig();

  if (yesterdayRow?.syncedAt && dayFreshness(yesterday, yesterdayRow.syncedAt, now, today, policy) === "stale") {
    refreshInBackground(yesterday);
  }
  if (!todayRow?.syncedAt || dayFreshness(today, todayRow.syncedAt, now, today, policy) === "stale") {
    await syncDay(today);
  } else {
    await state().walks.get(today);
    await followArrivals(db, today);
  }
  if (now - state().lastPurgeAt > PURGE_EVERY_MS) {
    state().lastPurgeAt = now;
    await purgeOldDays(db, today, now);
  }
}

/** New leads of today: from the newest stored create time (inclusive) on, dropping ids already stored. */
async function followArrivals(db: StoreDb, today: Day): Promise<void> {
  const checkedAt = new Date();
  const [{ newest } = { newest: null }] = await db.select({ newest: max(clues.createTime) }).from(clues).where(eq(clues.day, today));
  const { before } = dayRange(today);
  try {
    const records = await walk(newest ?? `${today} 00:00:00`, before);
    const stored = new Set(
      records.length === 0
        ? []
        : (
            await db
              .select({ id: clues.customerId })
              .from(clues)
              .where(inArray(clues.customerId, records.map((r) => r.customerId)))
          ).map((r) => r.id),
    );
    const arrivals = records.filter((r) => !stored.has(r.customerId));
    const done = { checkedAt, lastError: null, failedAt: null };
    await db.transaction(async (tx) => {
      await upsert(tx, arrivals, checkedAt);
      await tx.update(syncDays).set(done).where(eq(syncDays.day, today));
    });
    metrics().storeWalks.inc({ kind: "arrivals", outcome: "ok" });
  } catch (error) {
    metrics().storeWalks.inc({ kind: "arrivals", outcome: "failed" });
    await db.update(syncDays).set({ lastError: encodeFailure(describeFailure(error)), failedAt: new Date() }).where(eq(syncDays.day, today));
    throw error;
  }
  // New leads reach the store here (and in today's re-walks, which the next call covers): notifications enqueue the matching ones.
  await enqueueNewLeads();
}

/** Days past retention that nobody has read for a while go, rows and status alike. */
async function purgeOldDays(db: StoreDb, today: Day, now: number): Promise<void> {
  const { retentionDays, unreadPurgeDays } = storeConfig();
  const oldest = addDays(today, -(retentionDays - 1));
  const unreadSince = new Date(now - unreadPurgeDays * 86_400_000);
  await db.transaction(async (tx) => {
    const purged = await tx
      .delete(syncDays)
      .where(and(lt(syncDays.day, oldest), lt(syncDays.lastReadAt, unreadSince)))
      .returning({ day: syncDays.day });
    if (purged.length > 0) await tx.delete(clues).where(inArray(clues.day, purged.map((p) => p.day)));
  });
}

/**
 * How long the follower's lease holds unrenewed. Every instance asks for it every `LEASE_CHECK_MS`; the holder
 * renews it and follows today, the others stand by, and take over within TTL + check (≤ 20 s) of its death.
 */
const FOLLOWER_LEASE_MS = 15_000;
const LEASE_CHECK_MS = 5_000;

/** Starts today's follower once per process (idempotent, and not after a stop); its timer does not keep the process alive. */
export function startFollower(): void {
  const sync = state();
  if (sync.follower || sync.followerStopped) return;
  const { liveIntervalMs } = storeConfig();
  let lastFollowAt = 0;
  const tick = () => {
    if (sync.following) return;
    sync.following = (async () => {
      const db = await cluesDb();
      if (!sync.follower) return;
      sync.leaseCheck = holdLease(db, "follower", Math.max(FOLLOWER_LEASE_MS, 2 * liveIntervalMs));
      const held = await sync.leaseCheck.finally(() => (sync.leaseCheck = undefined));
      metrics().follower.set(held && sync.follower ? 1 : 0);
      if (!held || !sync.follower) return;
      readTouchesInBackground();
      if (Date.now() - lastFollowAt < liveIntervalMs) return;
      lastFollowAt = Date.now();
      await followToday();
    })()
      .catch((error: unknown) => console.error(JSON.stringify({ event: "store_follow_failed", error: storeErrorText(error) })))
      .finally(() => {
        sync.following = undefined;
      });
  };
  sync.follower = setInterval(tick, Math.min(LEASE_CHECK_MS, liveIntervalMs));
  sync.follower.unref();
  tick();
}

/**
 * Stops asking for the follower's lease for good (reads no longer start it), once a request for it under way
 * has been answered (so that the lease, released next, is not taken again after); a step under way runs on.
 */
export async function stopFollower(): Promise<void> {
  const sync = globalSync.__clueDeskSync;
  clearInterval(sync?.follower);
  if (sync) Object.assign(sync, { follower: undefined, followerStopped: true });
  metrics().follower.set(0);
  await sync?.leaseCheck?.catch(() => undefined);
}

/** Stops the follower and waits for walks under way (tests). */
export async function stopSync(): Promise<void> {
  const sync = globalSync.__clueDeskSync;
  if (!sync) return;
  await stopFollower();
  await sync.following;
  await Promise.allSettled([...sync.walks.values(), touchReaderIdle()]);
  globalSync.__clueDeskSync = undefined;
}

/** Writes a record fetched live (a lead's detail) back to the store. */
export async function storeClue(record: StoredRecord): Promise<void> {
  await (await cluesDb()).transaction((tx) => upsert(tx, [record], new Date()));
}

/** Drops a lead Tanma no longer has (its detail answered not-found). */
export async function forgetClue(customerId: number): Promise<void> {
  await (await cluesDb()).transaction(async (tx) => {
    const forgotten = await tx.delete(clues).where(eq(clues.customerId, customerId)).returning({ day: clues.day });
    await markDaysChanged(tx, forgotten.map((r) => r.day));
  });
}
