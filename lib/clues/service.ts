import "server-only";
import { BadRequestError } from "@/lib/api/respond";
import { openCursor, sealCursor } from "@/lib/api/sealed-cursor";
import { loadDictionary } from "@/lib/clues/dictionary";
import { cleanRecord, normalizeClue, normalizeClueDetail, normalizeCursor, normalizeFollowUp, phoneNumbers } from "@/lib/clues/normalize";
import {
  type ClueDetail,
  type ClueFacetsQuery,
  type ClueFacetsResponse,
  type ClueListQuery,
  type ClueListResponse,
  type FollowUpListResponse,
  type PhoneNumbers,
} from "@/lib/clues/schema";
import { type Auditee, recordAudit } from "@/lib/store/audit";
import { facetsFromStore } from "@/lib/store/facets";
import { admitSearch, type Searcher } from "@/lib/store/phone-searches";
import { listFromStore } from "@/lib/store/read";
import { forgetClue, storeClue } from "@/lib/store/sync";
import { getClue, listClueFollowUps, type UpstreamOptions } from "@/lib/tanma/client";
import { TanmaError } from "@/lib/tanma/errors";

/**
 * What the API routes do, one function per route. Lists are answered from the lead store (lib/store), which
 * keeps its copy of the clue feed fresh in the background (a search for a whole number is admitted and
 * recorded first, lib/store/phone-searches.ts); a lead's detail, follow-ups and the phone reveal
 * are live calls to Tanma through the signed client, made for `upstream`'s user, who gets a fair share of
 * Tanma's budget (lib/tanma/client.ts).
 */

export async function listClues(query: ClueListQuery, searcher: Searcher): Promise<ClueListResponse> {
  await admitSearch(query.q, searcher);
  const [{ index }, listing] = await Promise.all([loadDictionary(), listFromStore(query)]);
  return {
    items: listing.records.map((c) => normalizeClue(c, index)),
    nextCursor: listing.nextCursor,
    total: listing.total,
    totalFinal: listing.totalFinal,
    sync: listing.sync,
  };
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
  return normalizeClueDetail(clue, index);
}

function forgetIfGone(customerId: string) {
  return async (error: unknown): Promise<never> => {
    if (TanmaError.is(error) && error.kind === "notFound") await forgetClue(Number(customerId));
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
 * Tanma's follow-up cursors leave sealed (lib/api/sealed-cursor.ts) together with the clue they belong to, so
 * a cursor that is invented, edited, or replayed for another clue is a 400 here instead of a call Tanma refuses.
 */
function sealScoped(scope: string, cursor: string | null): string | null {
  return cursor === null ? null : sealCursor(`${scope}\n${cursor}`);
}

function openScoped(scope: string, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const value = openCursor(token);
  if (value === null || !value.startsWith(`${scope}\n`)) {
    throw new BadRequestError("cursor is not one this server issued for this query; start again from the first page");
  }
  return value.slice(scope.length + 1);
}

const FOLLOW_UP_PAGE_SIZE = 20;

export async function listFollowUps(customerId: string, cursor: string | undefined, upstream: UpstreamOptions = {}): Promise<FollowUpListResponse> {
  const scope = JSON.stringify(["follow-ups", customerId]);
  const startCursor = openScoped(scope, cursor);
  const page = await listClueFollowUps({ customerId: Number(customerId), size: FOLLOW_UP_PAGE_SIZE, ...(startCursor ? { cursor: startCursor } : {}) }, upstream);
  return { items: page.list.map(normalizeFollowUp), nextCursor: sealScoped(scope, normalizeCursor(page.nextCursor, page.list.length)) };
}
