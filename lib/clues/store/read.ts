import "server-only";
import { addDays, type Day } from "@/lib/china-time";
import type { ClueFilter, ClueListQuery, SyncState } from "@/lib/clues/schema";
import { checkFieldKeys, countMatching, type Position, readPage, type StoredPage } from "@/lib/clues/store/clue-query";
import { cachedAnswer, rangeVersion } from "@/lib/clues/store/answer-cache";
import { daysOfRange } from "@/lib/clues/store/freshness";
import { filterKey } from "@/lib/clues/filter-key";
import { cluesDb } from "@/lib/clues/store/tenant";
import { type DayStatus, readDays, startFollower, syncDay } from "@/lib/clues/store/sync";
import { decodeFailure, describeFailure } from "@/lib/clues/store/sync-failure";
import { inSpan } from "@/lib/observability/tracing";

/**
 * Answers a list read from the store. A read waits only for days never stored, and only for those its page
 * needs: the days are walked in the read's order (newest first by default, several at once), and the page is
 * answered as soon as the stored part of the range in front of it fills it. Days already stored are served as
 * they are and refreshed in the background when stale.
 */

type RangeSync = {
  /** Read before the walks: a day walked meanwhile has no time here, but one in `walkedAt`. */
  statuses: DayStatus[];
  pending: Set<Day>;
  walkedAt: Map<Day, number>;
  failures: Map<Day, unknown>;
  /** Settles once every walk started for the range has ended, stored or failed. */
  walked: Promise<unknown>;
};

/** Starts the walks of the never-stored days in read order, so the first page's days come first. */
async function prepareRange(filter: ClueFilter): Promise<RangeSync> {
  startFollower();
  const statuses = await readDays(daysOfRange(filter.since, filter.before));
  const pending = new Set(statuses.filter((s) => s.syncedAt === null).map((s) => s.day));
  const failures = new Map<Day, unknown>();
  const walkedAt = new Map<Day, number>();
  const inReadOrder = filter.order === "desc" ? [...pending].reverse() : [...pending];
  const walks = inReadOrder.map((day) =>
    syncDay(day).then(
      () => {
        walkedAt.set(day, Date.now());
        pending.delete(day);
      },
      (error: unknown) => failures.set(day, error),
    ),
  );
  return { statuses, pending, walkedAt, failures, walked: Promise.all(walks) };
}

/** With nothing of the range stored to fall back on, the upstream failure is the answer (a 502 saying why). */
function throwIfNothingStored(range: RangeSync): void {
  const nothingStored = range.statuses.every((s) => range.pending.has(s.day));
  const [firstFailure] = range.failures.values();
  if (nothingStored && firstFailure !== undefined && range.failures.size === range.pending.size) throw firstFailure;
}

/** The first day, in read order from `fromDay`, that is neither stored nor failed; undefined when none is left. */
function nextMissingDay(range: RangeSync, order: "desc" | "asc", fromDay: Day | undefined): Day | undefined {
  const days = range.statuses.map((s) => s.day);
  const ordered = order === "desc" ? days.reverse() : days;
  return ordered.find(
    (day) => range.pending.has(day) && !range.failures.has(day) && (fromDay === undefined || (order === "desc" ? day <= fromDay : day >= fromDay)),
  );
}

function syncState(range: RangeSync): SyncState {
  const stored = range.statuses.filter((s) => !range.pending.has(s.day));
  const checked = stored.map((s) => s.checkedAt?.getTime() ?? s.syncedAt?.getTime() ?? range.walkedAt.get(s.day) ?? Date.now());
  const failed = range.statuses.find((s) => range.failures.has(s.day) || (s.failedAt !== null && s.failedAt > (s.checkedAt ?? new Date(0))));
  const failure = failed === undefined ? undefined : range.failures.get(failed.day);
  const reason = failure !== undefined ? describeFailure(failure) : failed?.lastError ? decodeFailure(failed.lastError) : undefined;
  return {
    syncedAt: checked.length > 0 ? new Date(Math.min(...checked)).toISOString() : null,
    stale: failed !== undefined,
    ...(reason ? { reason } : {}),
    pendingDays: range.pending.size,
    days: range.statuses.length,
  };
}

/**
 * An answer about the range, cached under its version (lib/clues/store/answer-cache.ts) when every day of it was
 * stored before the read began. A read that walks days itself knows the versions only from before its walks,
 * so what it reads afterwards could be kept under a version naming less than it read; it is computed afresh.
 */
export function cachedIfSettled<T>(range: Pick<RangeSync, "statuses">, key: string, compute: () => Promise<T>, weigh?: (value: T) => number): Promise<T> {
  if (range.statuses.some((s) => s.syncedAt === null)) return compute();
  return cachedAnswer(`${key}\n${rangeVersion(range.statuses)}`, compute, weigh);
}

type KeepAnswer = <T>(key: string, compute: () => Promise<T>, weigh?: (value: T) => number) => Promise<T>;

/**
 * `totalFinal`: false while days of the range are not stored yet, when `total` counts only the stored ones.
 * `keep` caches what a caller derives from the listing (the API's serialized answer) as the listing is cached.
 */
export type StoreListing = StoredPage & { total: number; totalFinal: boolean; sync: SyncState; keep: KeepAnswer };

/** A page of the list after `after` (the position a cursor sealed; none for the first page). */
export async function listFromStore(query: ClueListQuery, after: Position | undefined): Promise<StoreListing> {
  const db = await cluesDb();
  await checkFieldKeys(db, query);
  const range = await prepareRange(query);
  const fromDay = after?.createTime.slice(0, 10);

  for (;;) {
    const missing = nextMissingDay(range, query.order, fromDay);
    const bound = missing === undefined ? undefined : query.order === "desc" ? `${addDays(missing, 1)} 00:00:00` : `${missing} 00:00:00`;
    // Taken before the reads: a walk that ends while they run (PostgreSQL runs them side by side) may have
    // committed after the count began, so only days stored before it may make the total final.
    const sync = syncState(range);
    const page = await cachedIfSettled(
      range,
      `page\n${filterKey(query)}\n${query.size}\n${after?.createTime}\n${after?.customerId}`,
      () => inSpan("store.read_page", { "clue_desk.page_size": query.size }, () => readPage(db, query, { after, size: query.size, bound })),
      (read) => read.records.length,
    );
    if (missing === undefined || page.full) {
      throwIfNothingStored(range);
      const total = after?.total ?? (await cachedIfSettled(range, `count\n${filterKey(query)}`, () => inSpan("store.count", {}, () => countMatching(db, query))));
      // Once the whole range is stored the total is final: the next position carries it, and later pages skip the count.
      const totalFinal = after?.total !== undefined || sync.pendingDays === 0;
      const next = page.next && sync.pendingDays === 0 ? { ...page.next, total } : page.next;
      const keep: KeepAnswer = (key, compute, weigh) => cachedIfSettled(range, key, compute, weigh);
      return { records: page.records, next, total, totalFinal, sync, keep };
    }
    await syncDay(missing).catch(() => undefined);
  }
}

/**
 * Readies a read of the whole range (facets, export): checks the filter's field keys, then waits for every
 * never-stored day. A day whose walk failed is left out and counted in `pendingDays`, marked stale; with
 * `requireEveryDay` (an export, which must not be a silently shorter file) its failure is the answer instead.
 * Answers the range's sync state, and the range itself for `cachedIfSettled`.
 */
export async function prepareWholeRange(filter: ClueFilter, { requireEveryDay = false } = {}): Promise<{ sync: SyncState; range: Pick<RangeSync, "statuses"> }> {
  await checkFieldKeys(await cluesDb(), filter);
  const range = await prepareRange(filter);
  await range.walked;
  const [firstFailure] = range.failures.values();
  if (requireEveryDay && firstFailure !== undefined) throw firstFailure;
  throwIfNothingStored(range);
  return { sync: syncState(range), range };
}
