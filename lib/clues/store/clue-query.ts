import "server-only";
import { and, arrayOverlaps, asc, count, desc, eq, gte, isNotNull, isNull, like, lt, or, type SQL, sql } from "drizzle-orm";
import { BadRequestError } from "@/lib/errors";
import type { FirstTouch } from "@/lib/clues/first-touch";
import type { ClueFilter } from "@/lib/clues/schema";
import type { StoreDb } from "@/lib/db/connection";
import { phoneSearch } from "@/lib/clues/search-match";
import { phoneHash, searchGrams } from "@/lib/clues/store/records";
import { clues, type StoredRecord } from "@/lib/clues/store/tables";

/**
 * Reads of the store: one filter turned into one SQL condition for the list, its total, its facets and its
 * export, so the four always agree on what matches.
 */

/** Filters minus the range, so a facet can leave its own dimension out (a value counts as if it were chosen). */
export type FilterDimension = "type" | "status" | "touch" | "tag" | "fields";

/** Escapes LIKE's wildcards so a user's `%` or `_` is matched literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What `q` matches (lib/clues/search-match.ts, shared with the list's highlighting): text of name, company and
 * description, and 4 or more digits as the masked numbers show them, found through the two-character index
 * and checked with LIKE; a whole mobile number through its hash.
 */
function searchCondition(q: string): SQL | undefined {
  const text = q.toLowerCase();
  const { digits, mobile } = phoneSearch(q);
  return or(
    and(containsGrams(text), like(clues.searchText, `%${likeLiteral(text)}%`)),
    digits !== null ? and(containsGrams(digits), like(clues.phonesMasked, `%${digits}%`)) : undefined,
    mobile !== null ? sql`${clues.phoneHashes} @> ARRAY[${phoneHash(mobile)}]::text[]` : undefined,
  );
}

/** Rows holding every two-character sequence of the text: the index's candidates (none to ask for one character). */
function containsGrams(text: string): SQL | undefined {
  const grams = searchGrams(text);
  return grams.length === 0 ? undefined : sql`${clues.searchGrams} @> ARRAY[${sql.join(grams.map((g) => sql`${g}`), sql`, `)}]::text[]`;
}

export function filterCondition(filter: ClueFilter, without?: FilterDimension): SQL | undefined {
  const fieldFilters = without === "fields" ? [] : Object.entries(filter.fields);
  return and(
    gte(clues.createTime, filter.since),
    lt(clues.createTime, filter.before),
    filter.type !== undefined && without !== "type" ? eq(clues.type, filter.type) : undefined,
    filter.status !== undefined && without !== "status" ? eq(clues.isClue, filter.status === "clue") : undefined,
    filter.touch !== undefined && without !== "touch" ? (filter.touch === "touched" ? isNotNull(clues.firstTouchAt) : isNull(clues.firstTouchAt)) : undefined,
    filter.companyId !== undefined ? eq(clues.companyId, Number(filter.companyId)) : undefined,
    filter.q !== undefined ? searchCondition(filter.q) : undefined,
    filter.tag.length > 0 && without !== "tag" ? arrayOverlaps(clues.tagIds, filter.tag) : undefined,
    ...fieldFilters.map(([key, items]) => arrayOverlaps(clues.selectValues, items.map((item) => `${key}=${item}`))),
  );
}

/**
 * A keyset position: the last row of a page and, once it is final (the range wholly stored), the list's total,
 * so the pages after the first are not counted again. The store hands positions out and takes them back; the
 * clue service seals them into the API's cursors (lib/clues/service.ts).
 */
export type Position = { createTime: string; customerId: number; total?: number };

/** Rows after a position in the read's order; (createTime, customerId) is unique, so no row is skipped or repeated. */
function afterPosition(order: ClueFilter["order"], position: Position): SQL {
  const op = order === "desc" ? sql.raw("<") : sql.raw(">");
  return sql`(${clues.createTime}, ${clues.customerId}) ${op} (${position.createTime}, ${position.customerId})`;
}

/** A stored lead: Tanma's record and the first touch the store keeps beside it (null while none is known). */
export type StoredLead = { record: StoredRecord; firstTouch: FirstTouch | null };

/** A page of leads, and where the next one starts (null at the end). */
export type StoredPage = { records: StoredLead[]; next: Position | null };

/**
 * One page in the filter's order. `bound` limits the read to the part of the range stored in full: newest
 * first, the page may not reach below it; oldest first, not at or above it. A page that stops at the bound
 * still hands out a next position when it is full, since the days beyond the bound are yet to come.
 */
export async function readPage(
  db: StoreDb,
  filter: ClueFilter,
  options: { after?: Position; size: number; bound?: string },
): Promise<StoredPage & { full: boolean }> {
  const direction = filter.order === "desc" ? desc : asc;
  const bound =
    options.bound === undefined ? undefined : filter.order === "desc" ? gte(clues.createTime, options.bound) : lt(clues.createTime, options.bound);
  const found = await db
    .select({ record: clues.record, createTime: clues.createTime, customerId: clues.customerId, firstTouchAt: clues.firstTouchAt, firstTouchBy: clues.firstTouchBy })
    .from(clues)
    .where(and(filterCondition(filter), options.after ? afterPosition(filter.order, options.after) : undefined, bound))
    .orderBy(direction(clues.createTime), direction(clues.customerId))
    .limit(options.size + 1);
  const page = found.slice(0, options.size);
  const full = page.length === options.size;
  const last = page.at(-1);
  const more = found.length > options.size || (full && options.bound !== undefined);
  const next = more && last ? { createTime: last.createTime, customerId: last.customerId } : null;
  const records = page.map((row) => ({
    record: row.record,
    firstTouch: row.firstTouchAt === null ? null : { at: row.firstTouchAt, by: row.firstTouchBy ?? "" },
  }));
  return { records, next, full };
}

export async function countMatching(db: StoreDb, filter: ClueFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(clues).where(filterCondition(filter));
  return row?.n ?? 0;
}

let selectKeys: { keys: Set<string>; loadedAt: number } | undefined;
const SELECT_KEYS_TTL_MS = 60_000;

/** The select field keys the store holds, cached briefly: a filter on any other key is a 400. */
export async function knownSelectKeys(db: StoreDb, refresh = false): Promise<Set<string>> {
  if (!refresh && selectKeys && Date.now() - selectKeys.loadedAt < SELECT_KEYS_TTL_MS) return selectKeys.keys;
  const result = (await db.execute(
    sql`SELECT DISTINCT split_part(v, '=', 1) AS key FROM ${clues}, unnest(${clues.selectValues}) AS v`,
  )) as unknown as { rows: { key: string }[] };
  selectKeys = { keys: new Set(result.rows.map((r) => r.key)), loadedAt: Date.now() };
  return selectKeys.keys;
}

/** Rejects a field filter on a key the store has never seen as a select field (a typo, not "no matches"). */
export async function checkFieldKeys(db: StoreDb, filter: ClueFilter): Promise<void> {
  const keys = Object.keys(filter.fields);
  if (keys.length === 0) return;
  let known = await knownSelectKeys(db);
  if (keys.some((k) => !known.has(k))) known = await knownSelectKeys(db, true);
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length > 0) throw new BadRequestError(`unknown parameter: ${unknown.join(", ")} (not a select field)`);
}

