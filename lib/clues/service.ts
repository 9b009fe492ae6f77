import "server-only";
import { BadRequestError } from "@/lib/errors";
import { type JsonAnswer, jsonAnswer } from "@/lib/api/json-answer";
import { createHash } from "node:crypto";
import { CURSOR_REFUSED, openKeyset, sealKeyset } from "@/lib/api/sealed-cursor";
import { loadDictionary } from "@/lib/clues/dictionary";
import { cleanRecord, normalizeClue, normalizeClueDetail, normalizeCursor, normalizeFollowUp, phoneNumbers } from "@/lib/clues/normalize";
import {
  type ClueDetail,
  type ClueFilter,
  type ClueFacetsQuery,
  type ClueFacetsResponse,
  type ClueListQuery,
  type ClueListResponse,
  type FollowUpListResponse,
  type PhoneNumbers,
  type SyncRequest,
  type SyncResponse,
} from "@/lib/clues/schema";
import type { Auditee, Searcher } from "@/lib/audit/schema";
import { admitSearch, recordAudit } from "@/lib/audit/trail";
import { filterKey } from "@/lib/clues/filter-key";
import { facetsFromStore } from "@/lib/clues/store/facets";
import type { Position } from "@/lib/clues/store/clue-query";
import { listFromStore } from "@/lib/clues/store/read";
import { daysOfRange } from "@/lib/clues/store/freshness";
import { forceSync, forgetClue, storeClue } from "@/lib/clues/store/sync";
import { recordFirstTouch, storedFirstTouch } from "@/lib/clues/store/touch-reader";
import { earliestPersonFollowUp } from "@/lib/clues/first-touch";
import { getClue, listClueFollowUps, type UpstreamOptions } from "@/lib/tanma/client";
import { TanmaError } from "@/lib/tanma/errors";

/**
 * What the API routes do, one function per route. Lists are answered from the lead store (lib/clues/store/), which
 * keeps its copy of the clue feed fresh in the background (a search for a whole number is admitted and
 * recorded first, lib/audit/store/phone-searches.ts); a lead's detail, follow-ups and the phone reveal
 * are live calls to Tanma through the signed client, made for `upstream`'s user, who gets a fair share of
 * Tanma's budget (lib/tanma/client.ts).
 */

/**
 * The list's cursors are the store's keyset positions (lib/clues/store/clue-query.ts), sealed together with the
 * query they belong to: replayed with another query (whose total and order differ) a cursor is refused. The
 * scope is every filter and the order, not the cursor or the page size.
 */
function queryScope(filter: ClueFilter): string {
  return createHash("sha256").update(filterKey(filter)).digest("base64url").slice(0, 16);
}

function sealPosition(filter: ClueFilter, position: Position | null): string | null {
  return position === null ? null : sealKeyset(queryScope(filter), { key: position.createTime, id: position.customerId, extra: [position.total ?? null] });
}

function openPosition(filter: ClueFilter, cursor: string): Position {
  const opened = openKeyset(queryScope(filter), cursor);
  if (opened === null) throw new BadRequestError(CURSOR_REFUSED);
  const total = Number.isSafeInteger(opened.extra[0]) ? (opened.extra[0] as number) : undefined;
  return { createTime: opened.key, customerId: opened.id, ...(total === undefined ? {} : { total }) };
}

/**
 * A page of the list, serialized. Most readers ask for the same pages, so the answer is kept with the page it
 * is made of, for the same dictionary and sync state: a repeated read is neither normalized nor serialized again.
 */
export async function listClues(query: ClueListQuery, searcher: Searcher): Promise<JsonAnswer> {
  await admitSearch(query.q, searcher);
  // Opened before any read, so a forged cursor costs nothing.
  const after = query.cursor === undefined ? undefined : openPosition(query, query.cursor);
  const [{ index, loadedAt }, listing] = await Promise.all([loadDictionary(), listFromStore(query, after)]);
  const answer = async (): Promise<ClueListResponse> => ({
    items: listing.records.map((lead) => normalizeClue(lead.record, index, lead.firstTouch)),
    nextCursor: sealPosition(query, listing.next),
    total: listing.total,
    totalFinal: listing.totalFinal,
    sync: listing.sync,
  });
  const key = ["answer", filterKey(query), query.size, query.cursor, loadedAt, listing.totalFinal, JSON.stringify(listing.sync)].join("\n");
  return listing.keep(key, async () => jsonAnswer(await answer()), () => listing.records.length);
}

/** Counts from the store; the facets name tags and items by id, the dictionary the page already has names them. */
export async function clueFacets(query: ClueFacetsQuery, searcher: Searcher): Promise<ClueFacetsResponse> {
  await admitSearch(query.q, searcher);
  return facetsFromStore(query);
}

/** A live call; the fresh record (its text cleaned, as stored) is written back to the store, and a lead Tanma no longer has leaves it. */
export async function getClueDetail(customerId: string, upstream: UpstreamOptions = {}): Promise<ClueDetail> {
  const [{ index }, clue] = await Promise.all([loadDictionary(), getClue(Number(customerId), upstream).then(cleanRecord, forgetIfGone(customerId))]);
  await storeClue(clue);
  return normalizeClueDetail(clue, index, await storedFirstTouch(Number(customerId)));
}

/** Whether a failure of `getClueDetail` means Tanma no longer has the lead (a page shows its not-found). */
export function isClueGone(error: unknown): boolean {
  return TanmaError.is(error) && error.kind === "notFound";
}

function forgetIfGone(customerId: string) {
  return async (error: unknown): Promise<never> => {
    if (isClueGone(error)) await forgetClue(Number(customerId));
    throw error;
  };
}

/** The audit event is recorded before the numbers leave, so no reveal goes unrecorded (a failure to record refuses it). */
export async function revealPhoneNumbers(customerId: string, who: Auditee, upstream: UpstreamOptions = {}): Promise<PhoneNumbers> {
  const phones = phoneNumbers(await getClue(Number(customerId), upstream));
  await recordAudit({ action: "phone_reveal", ...who, target: customerId });
  return phones;
}

/**
 * Tanma's follow-up cursors leave sealed the same way (lib/api/sealed-cursor.ts), the clue they belong to as
 * the scope and the position's id, so a cursor that is invented, edited, or replayed for another clue is a 400
 * here instead of a call Tanma refuses.
 */
function sealFollowUps(customerId: string, cursor: string | null): string | null {
  return cursor === null ? null : sealKeyset(followUpScope(customerId), { key: cursor, id: Number(customerId), extra: [] });
}

function openFollowUps(customerId: string, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const opened = openKeyset(followUpScope(customerId), token);
  if (opened === null || opened.id !== Number(customerId)) throw new BadRequestError(CURSOR_REFUSED);
  return opened.key;
}

const followUpScope = (customerId: string) => JSON.stringify(["follow-ups", customerId]);

const FOLLOW_UP_PAGE_SIZE = 20;

export async function listFollowUps(customerId: string, cursor: string | undefined, upstream: UpstreamOptions = {}): Promise<FollowUpListResponse> {
  const startCursor = openFollowUps(customerId, cursor);
  const page = await listClueFollowUps({ customerId: Number(customerId), size: FOLLOW_UP_PAGE_SIZE, ...(startCursor ? { cursor: startCursor } : {}) }, upstream);
  const nextCursor = normalizeCursor(page.nextCursor, page.list.length);
  // A first page that is the whole list holds the lead's first touch, at no extra call; a partial one cannot say.
  const firstTouch = startCursor === undefined && nextCursor === null ? earliestPersonFollowUp(page.list) : undefined;
  if (firstTouch !== undefined) await recordFirstTouch(Number(customerId), firstTouch);
  return { items: page.list.map(normalizeFollowUp), nextCursor: sealFollowUps(customerId, nextCursor) };
}

/** The 刷新 button: the range's days walked again now for `user`, the forced sync recorded in the audit trail before any walk. */
export async function forceSyncRange({ since, before }: SyncRequest, who: Auditee, user: string): Promise<SyncResponse> {
  const days = daysOfRange(since, before);
  const result = await forceSync(days, user, () => recordAudit({ action: "forced_sync", ...who, detail: { since, before, days: days.length } }));
  return { walked: result.walked.length, skipped: result.skipped.length, failed: result.failed };
}
