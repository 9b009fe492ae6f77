import "server-only";
import { loadDictionary } from "@/lib/clues/dictionary";
import { normalizeClue, normalizeClueDetail, normalizeCursor, normalizeFollowUp, phoneNumbers } from "@/lib/clues/normalize";
import {
  type ClueDetail,
  type ClueItem,
  type ClueListQuery,
  type ClueListResponse,
  type FollowUpListResponse,
  MAX_PAGE_SIZE,
  type PhoneNumbers,
} from "@/lib/clues/schema";
import { BadRequestError } from "@/lib/api/respond";
import { openCursor, sealCursor } from "@/lib/api/sealed-cursor";
import { getClue, listClueFollowUps, listCluesByCreateTime, type UpstreamOptions } from "@/lib/tanma/client";

/**
 * What the API routes do, one function per route: call Tanma through the signed client and normalize.
 * Each list page costs exactly one upstream call (the dictionary comes from its cache). `upstream` names the
 * user the calls are made for, for the fair share of Tanma's budget (lib/tanma/client.ts).
 */

/**
 * Cursors leave sealed (lib/api/sealed-cursor.ts) together with the query they belong to, so a cursor that is
 * invented, edited, or replayed with another query is a 400 here instead of a call Tanma refuses.
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

/**
 * Tanma cannot filter by company, so a company's leads are found by scanning type-2 pages. One request
 * scans at most this many upstream pages and then hands back its cursor, so a long range is walked over
 * several requests instead of one request fanning out without bound.
 */
const COMPANY_SCAN_PAGES = 10;

export async function listClues(query: ClueListQuery, upstream: UpstreamOptions = {}): Promise<ClueListResponse> {
  const scope = JSON.stringify(["clues", query.since, query.before, query.type ?? null, query.companyId ?? null]);
  const startCursor = openScoped(scope, query.cursor);
  const { index } = await loadDictionary();
  const request = { since: query.since, before: query.before, ...(query.type ? { type: query.type } : {}) };

  if (query.companyId === undefined) {
    const page = await listCluesByCreateTime({ ...request, size: query.size, ...(startCursor ? { cursor: startCursor } : {}) }, upstream);
    return {
      items: page.list.map((c) => normalizeClue(c, index)),
      nextCursor: sealScoped(scope, normalizeCursor(page.nextCursor, page.list.length)),
    };
  }

  const items: ClueItem[] = [];
  let cursor = startCursor ?? null;
  for (let scanned = 0; scanned < COMPANY_SCAN_PAGES && items.length < query.size; scanned++) {
    const page = await listCluesByCreateTime({ ...request, size: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) }, upstream);
    for (const clue of page.list) {
      if (String(clue.companyInfo?.id) === query.companyId) items.push(normalizeClue(clue, index));
    }
    cursor = normalizeCursor(page.nextCursor, page.list.length);
    if (cursor === null) break;
  }
  return { items, nextCursor: sealScoped(scope, cursor) };
}

export async function getClueDetail(customerId: string, upstream: UpstreamOptions = {}): Promise<ClueDetail> {
  const [{ index }, clue] = await Promise.all([loadDictionary(), getClue(Number(customerId), upstream)]);
  return normalizeClueDetail(clue, index);
}

/** The audit line is written before the numbers leave, so no reveal goes unrecorded. */
export async function revealPhoneNumbers(customerId: string, auditUser: string, upstream: UpstreamOptions = {}): Promise<PhoneNumbers> {
  const phones = phoneNumbers(await getClue(Number(customerId), upstream));
  console.info(JSON.stringify({ event: "audit_phone_reveal", user: auditUser, customerId, time: new Date().toISOString() }));
  return phones;
}

const FOLLOW_UP_PAGE_SIZE = 20;

export async function listFollowUps(customerId: string, cursor: string | undefined, upstream: UpstreamOptions = {}): Promise<FollowUpListResponse> {
  const scope = JSON.stringify(["follow-ups", customerId]);
  const startCursor = openScoped(scope, cursor);
  const page = await listClueFollowUps({ customerId: Number(customerId), size: FOLLOW_UP_PAGE_SIZE, ...(startCursor ? { cursor: startCursor } : {}) }, upstream);
  return { items: page.list.map(normalizeFollowUp), nextCursor: sealScoped(scope, normalizeCursor(page.nextCursor, page.list.length)) };
}
