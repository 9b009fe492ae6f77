import "server-only";
import { createHash } from "node:crypto";
import { and, arrayOverlaps, asc, count, desc, eq, gte, like, lt, or, type SQL, sql } from "drizzle-orm";
import { BadRequestError } from "@/lib/errors";
import { CURSOR_REFUSED, openKeyset, sealKeyset } from "@/lib/api/sealed-cursor";
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
export type FilterDimension = "type" | "status" | "tag" | "fields";

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
    filter.companyId !== undefined ? eq(clues.companyId, Number(filter.companyId)) : undefined,
    filter.q !== undefined ? searchCondition(filter.q) : undefined,
    filter.tag.length > 0 && without !== "tag" ? arrayOverlaps(clues.tagIds, filter.tag) : undefined,
    ...fieldFilters.map(([key, items]) => arrayOverlaps(clues.selectValues, items.map((item) => `${key}=${item}`))),
  );
}

/**
 * A keyset position: the last row of a page, the order it was read in, and the list's total once it is final
 * (the range wholly stored), so the pages after the first are not counted again. A cursor is sealed together
 * with its query's scope: replayed with another query (whose total and order differ) it is refused.
 */
type Position = { createTime: string; customerId: number; order: "desc" | "asc"; total?: number };

/** The query a cursor belongs to: every filter and the order, not the cursor or the page size. */
function queryScope(filter: ClueFilter): string {
  const { since, before, type, companyId, q, status, order, tag, fields } = filter;
  const canonical = JSON.stringify([since, before, type ?? null, companyId ?? null, q ?? null, status ?? null, order, [...tag].sort(), Object.entries(fields).sort()]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodePosition(filter: ClueFilter, position: Omit<Position, "order">): string {
  return sealKeyset(queryScope(filter), { key: position.createTime, id: position.customerId, extra: [position.total ?? null] });
}

function decodePosition(cursor: string, filter: ClueFilter): Position {
  const opened = openKeyset(queryScope(filter), cursor);
  if (opened === null) throw new BadRequestError(CURSOR_REFUSED);
  const total = Number.isSafeInteger(opened.extra[0]) ? (opened.extra[0] as number) : undefined;
  return { order: filter.order, createTime: opened.key, customerId: opened.id, ...(total === undefined ? {} : { total }) };
}

/** Rows after a position in the read's order; (createTime, customerId) is unique, so no row is skipped or repeated. */
function afterPosition(position: Position): SQL {
  const op = position.order === "desc" ? sql.raw("<") : sql.raw(">");
  return sql`(${clues.createTime}, ${clues.customerId}) ${op} (${position.createTime}, ${position.customerId})`;
}

export type StoredPage = { records: StoredRecord[]; nextCursor: string | null };

type PageEnd = Pick<Position, "createTime" | "customerId"> | null;

/** Checks a cursor before any other work, so a forged one costs nothing. */
export function parseCursor(cursor: string | undefined, filter: ClueFilter): Position | undefined {
  return cursor === undefined ? undefined : decodePosition(cursor, filter);
}

/**
 * One page in the filter's order. `bound` limits the read to the part of the range stored in full: newest
 * first, the page may not reach below it; oldest first, not at or above it. A page that stops at the bound
 * still hands out a cursor when it is full, since the days beyond the bound are yet to come.
 */
export async function readPage(
  db: StoreDb,
  filter: ClueFilter,
  options: { after?: Position; size: number; bound?: string },
): Promise<StoredPage & { full: boolean; end: PageEnd }> {
  const direction = filter.order === "desc" ? desc : asc;
  const bound =
    options.bound === undefined ? undefined : filter.order === "desc" ? gte(clues.createTime, options.bound) : lt(clues.createTime, options.bound);
  const found = await db
    .select({ record: clues.record, createTime: clues.createTime, customerId: clues.customerId })
    .from(clues)
    .where(and(filterCondition(filter), options.after ? afterPosition(options.after) : undefined, bound))
    .orderBy(direction(clues.createTime), direction(clues.customerId))
    .limit(options.size + 1);
  const page = found.slice(0, options.size);
  const full = page.length === options.size;
  const last = page.at(-1);
  const more = found.length > options.size || (full && options.bound !== undefined);
  const end = more && last ? { createTime: last.createTime, customerId: last.customerId } : null;
  return { records: page.map((row) => row.record), nextCursor: end && encodePosition(filter, end), full, end };
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

