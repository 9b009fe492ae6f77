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
import { getClue, listClueFollowUps, listCluesByCreateTime } from "@/lib/tanma/client";

/**
 * What the API routes do, one function per route: call Tanma through the signed client and normalize.
 * Each list page costs exactly one upstream call (the dictionary comes from its cache).
 */

/**
 * Tanma cannot filter by company, so a company's leads are found by scanning type-2 pages. One request
 * scans at most this many upstream pages and then hands back its cursor, so a long range is walked over
 * several requests instead of one request fanning out without bound.
 */
const COMPANY_SCAN_PAGES = 10;

export async function listClues(query: ClueListQuery): Promise<ClueListResponse> {
  const { index } = await loadDictionary();
  const request = { since: query.since, before: query.before, ...(query.type ? { type: query.type } : {}) };

  if (query.companyId === undefined) {
    const page = await listCluesByCreateTime({ ...request, size: query.size, ...(query.cursor ? { cursor: query.cursor } : {}) });
    return {
      items: page.list.map((c) => normalizeClue(c, index)),
      nextCursor: normalizeCursor(page.nextCursor, page.list.length),
    };
  }

  const items: ClueItem[] = [];
  let cursor = query.cursor ?? null;
  for (let scanned = 0; scanned < COMPANY_SCAN_PAGES && items.length < query.size; scanned++) {
    const page = await listCluesByCreateTime({ ...request, size: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    for (const clue of page.list) {
      if (String(clue.companyInfo?.id) === query.companyId) items.push(normalizeClue(clue, index));
    }
    cursor = normalizeCursor(page.nextCursor, page.list.length);
    if (cursor === null) break;
  }
  return { items, nextCursor: cursor };
}

export async function getClueDetail(customerId: string): Promise<ClueDetail> {
  const [{ index }, clue] = await Promise.all([loadDictionary(), getClue(Number(customerId))]);
  return normalizeClueDetail(clue, index);
}

/** The audit line is written before the numbers leave, so no reveal goes unrecorded. */
export async function revealPhoneNumbers(customerId: string, user: string): Promise<PhoneNumbers> {
  const phones = phoneNumbers(await getClue(Number(customerId)));
  console.info(JSON.stringify({ event: "audit_phone_reveal", user, customerId, time: new Date().toISOString() }));
  return phones;
}

const FOLLOW_UP_PAGE_SIZE = 20;

export async function listFollowUps(customerId: string, cursor: string | undefined): Promise<FollowUpListResponse> {
  const page = await listClueFollowUps({ customerId: Number(customerId), size: FOLLOW_UP_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  return { items: page.list.map(normalizeFollowUp), nextCursor: normalizeCursor(page.nextCursor, page.list.length) };
}
