import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { chinaToday, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import type { ClueFacetsResponse, ClueFilter, FirstTouchSpeed, HistogramBucket, StatusCounts, TouchCounts, TypeCounts } from "@/lib/clues/schema";
import { filterCondition } from "@/lib/clues/store/clue-query";
import { cluesDb } from "@/lib/clues/store/tenant";
import { rows, type StoreDb } from "@/lib/db/connection";
import { daysOfRange } from "@/lib/clues/store/freshness";
import { cachedIfSettled, prepareWholeRange } from "@/lib/clues/store/read";
import { filterKey } from "@/lib/clues/filter-key";
import { clues } from "@/lib/clues/store/tables";
import { inSpan } from "@/lib/observability/tracing";
import { touchConfig } from "@/lib/clues/store/touch-reader";

/**
 * The facets of a filtered range, counted in the store. Every count goes through `filterCondition`, the list's
 * own filter, so a facet and the list it describes always agree on what matches. A dimension's counts leave
 * out that dimension's own filter (a select field: only that field's), as faceted search does: a value counts
 * the leads choosing it would give, and the other values stay visible once one is chosen.
 */

type Facets = Omit<ClueFacetsResponse, "sync">;

const HOUR_MS = 3_600_000;
/** Ranges up to this long are bucketed per hour, longer ones per China day. */
const HOURLY_MAX_SPAN_MS = 2 * 86_400_000;

const where = (condition: SQL | undefined) => condition ?? sql`true`;

const emptyTypes = (): TypeCounts => ({ "1": 0, "2": 0 });
const emptyStatuses = (): StatusCounts => ({ clue: 0, unassigned: 0 });
const statusKey = (isClue: boolean) => (isClue ? "clue" : "unassigned");

type Count = { n: number };

/** Leads per value of an array column (`tag_ids`, `select_values`), optionally only values starting with `prefix`. */
async function countArrayValues(db: StoreDb, column: SQL, condition: SQL | undefined, prefix?: string): Promise<(Count & { value: string })[]> {
  const onlyPrefix = prefix === undefined ? sql`` : sql` AND starts_with(value, ${prefix})`;
  return rows(db, sql`SELECT value, count(*)::int AS n FROM ${clues}, unnest(${column}) AS value WHERE ${where(condition)}${onlyPrefix} GROUP BY value`);
}

/** A select value as stored, `fieldKey=itemId`, split at the first `=` (a field key has none). */
function splitSelectValue(value: string): [key: string, item: string] {
  const split = value.indexOf("=");
  return [value.slice(0, split), value.slice(split + 1)];
}

/** Leads per select field and item. A filtered field is counted apart, with every filter but its own. */
async function countFields(db: StoreDb, filter: ClueFilter): Promise<Facets["fields"]> {
  const fields: Facets["fields"] = {};
  const filteredKeys = new Set(Object.keys(filter.fields));
  const add = (counted: (Count & { value: string })[], wanted: (key: string) => boolean) => {
    for (const { value, n } of counted) {
      const [key, item] = splitSelectValue(value);
      if (wanted(key)) (fields[key] ??= {})[item] = n;
    }
  };
  add(await countArrayValues(db, sql`${clues.selectValues}`, filterCondition(filter)), (key) => !filteredKeys.has(key));
  for (const key of filteredKeys) {
    const { [key]: _own, ...others } = filter.fields;
    add(await countArrayValues(db, sql`${clues.selectValues}`, filterCondition({ ...filter, fields: others }), `${key}=`), () => true);
  }
  return fields;
}

/** The start of every bucket of the range up to now, oldest first. */
function bucketStarts(filter: ClueFilter, hourly: boolean, now: number): string[] {
  if (!hourly) return daysOfRange(filter.since, filter.before).filter((day) => day <= chinaToday(now));
  const starts: string[] = [];
  const last = Math.min(parseChinaWallTime(filter.before) - 1000, now);
  for (let t = parseChinaWallTime(`${filter.since.slice(0, 13)}:00:00`); t <= last; t += HOUR_MS) starts.push(formatChinaWallTime(t));
  return starts;
}

/** Leads per bucket (a time prefix of the create time), type and status under a condition. */
type Group = Count & { bucket: string; type: number; is_clue: boolean };

function countGroups(db: StoreDb, condition: SQL | undefined, prefixLength: number): Promise<Group[]> {
  return rows<Group>(
    db,
    sql`SELECT left(${clues.createTime}, ${prefixLength}) AS bucket, ${clues.type} AS type, ${clues.isClue} AS is_clue, count(*)::int AS n
        FROM ${clues} WHERE ${where(condition)} GROUP BY 1, 2, 3`,
  );
}

function countTypes(groups: readonly Group[]): TypeCounts {
  const counts = emptyTypes();
  for (const { type, n } of groups) counts[type] = (counts[type] ?? 0) + n;
  return counts;
}

function countStatuses(groups: readonly Group[]): StatusCounts {
  const counts = emptyStatuses();
  for (const { is_clue, n } of groups) counts[statusKey(is_clue)] += n;
  return counts;
}

/** Every bucket of the range up to now, oldest first; they add up to the groups' total. */
function histogram(groups: readonly Group[], starts: readonly string[], hourly: boolean): HistogramBucket[] {
  const byStart = new Map(starts.map((start) => [start, [] as Group[]]));
  for (const group of groups) {
    const start = hourly ? `${group.bucket}:00:00` : group.bucket;
    // A lead outside the generated buckets (a clock ahead of ours) still gets a bucket: the sum stays the total.
    const inBucket = byStart.get(start) ?? [];
    inBucket.push(group);
    byStart.set(start, inBucket);
  }
  return [...byStart]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([start, inBucket]) => ({
      start,
      count: inBucket.reduce((sum, g) => sum + g.n, 0),
      byType: countTypes(inBucket),
      byStatus: countStatuses(inBucket),
    }));
}

/** Leads with a first touch known and without, under every filter but the touch filter. */
async function countTouch(db: StoreDb, filter: ClueFilter): Promise<TouchCounts> {
  const counted = await rows<Count & { touched: boolean }>(
    db,
    sql`SELECT ${clues.firstTouchAt} IS NOT NULL AS touched, count(*)::int AS n FROM ${clues} WHERE ${where(filterCondition(filter, "touch"))} GROUP BY 1`,
  );
  return {
    touched: counted.find((c) => c.touched)?.n ?? 0,
    untouched: counted.find((c) => !c.touched)?.n ?? 0,
  };
}

/** Minutes from a lead's creation to its first touch (both China wall times), over the touched leads matching the filter. */
async function firstTouchSpeed(db: StoreDb, filter: ClueFilter, slaMinutes: number): Promise<FirstTouchSpeed> {
  const china = (column: SQL) => sql`(${column} || '+08:00')::timestamptz`;
  const delay = sql`greatest(0, extract(epoch FROM ${china(sql`${clues.firstTouchAt}`)} - ${china(sql`${clues.createTime}`)}) / 60)`;
  const [row] = await rows<{ median: number | null; p90: number | null; within: number }>(
    db,
    sql`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::float8 AS median,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY d)::float8 AS p90,
               count(*) FILTER (WHERE d <= ${slaMinutes})::int AS within
        FROM (SELECT ${delay} AS d FROM ${clues} WHERE ${where(filterCondition(filter))} AND ${clues.firstTouchAt} IS NOT NULL) delays`,
  );
  const minutes = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10);
  return { medianMinutes: minutes(row?.median), p90Minutes: minutes(row?.p90), withinSla: row?.within ?? 0, slaMinutes };
}

/**
 * All facets of a filter, counted from the leads now (facetsFromStore keeps them per range version), read in
 * one repeatable-read snapshot: a day replaced or a lead arriving meanwhile
 * cannot make the histogram disagree with the total, or one dimension with another.
 */
export async function countFacets(db: StoreDb, filter: ClueFilter, now: number): Promise<Facets> {
  const hourly = parseChinaWallTime(filter.before) - parseChinaWallTime(filter.since) <= HOURLY_MAX_SPAN_MS;
  // Create times are China wall-time text: a day is its first 10 characters, an hour its first 13.
  const prefixLength = hourly ? 13 : 10;
  return db.transaction(
    async (tx) => {
      const matching = await countGroups(tx, filterCondition(filter), prefixLength);
      // A dimension the filter leaves free is counted under the full filter: the histogram's groups hold it.
      const typeGroups = filter.type === undefined ? matching : await countGroups(tx, filterCondition(filter, "type"), prefixLength);
      const statusGroups = filter.status === undefined ? matching : await countGroups(tx, filterCondition(filter, "status"), prefixLength);
      const tags = await countArrayValues(tx, sql`${clues.tagIds}`, filterCondition(filter, "tag"));
      return {
        total: matching.reduce((sum, g) => sum + g.n, 0),
        type: countTypes(typeGroups),
        status: countStatuses(statusGroups),
        tags: Object.fromEntries(tags.map((c) => [c.value, c.n])),
        fields: await countFields(tx, filter),
        histogram: histogram(matching, bucketStarts(filter, hourly, now), hourly),
        touch: await countTouch(tx, filter),
        firstTouch: await firstTouchSpeed(tx, filter, touchConfig().slaMinutes),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** The facets of a range once every day of it is stored (or has failed, which the sync state says). */
export async function facetsFromStore(filter: ClueFilter): Promise<ClueFacetsResponse> {
  const { sync, range } = await prepareWholeRange(filter);
  const now = Date.now();
  const db = await cluesDb();
  // The buckets run up to the current hour: an answer holds for the hour it was counted in.
  const key = `facets\n${filterKey(filter)}\n${formatChinaWallTime(now).slice(0, 13)}`;
  const facets = await cachedIfSettled(range, key, () => inSpan("store.facets", {}, () => countFacets(db, filter, now)));
  return { ...facets, sync };
}
