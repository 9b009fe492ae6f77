import "server-only";
import { parseFilterParams } from "@/lib/api/filter-query";
import { addDays, chinaToday } from "@/lib/china-time";
import { loadDictionary } from "@/lib/clues/dictionary";
import { normalizeClue } from "@/lib/clues/normalize";
import { type ClueFilter, type ClueItem, clueFilterSchema } from "@/lib/clues/schema";
import { desc } from "drizzle-orm";
import { readPage } from "@/lib/clues/store/clue-query";
import { clues } from "@/lib/clues/store/tables";
import { cluesDb } from "@/lib/clues/store/tenant";

/**
 * What notifications (lib/notifications/) read of the lead copy: the stored leads matching a view's filters
 * that come after a position in the list's order (create time, then id), oldest first. The filters go
 * through the list's own condition, so a subscription matches exactly what its view shows.
 */

/** A keyset position in the list's order. */
export type LeadPosition = { createTime: string; customerId: number };

/** Any lead created after the position, however late: a position bounds the read, not a range. */
const OPEN_END = "9999-12-31 00:00:00";

/** A view's query string (the list's filters, no range; already checked) as a filter from `after` on, oldest first. */
function filterAfter(viewQuery: string, after: LeadPosition): ClueFilter {
  const params = new URLSearchParams(viewQuery);
  const today = chinaToday();
  // The range is replaced below: the schema's range rules are for people's reads, not for an open end.
  params.set("since", today);
  params.set("before", addDays(today, 1));
  return { ...parseFilterParams(params, clueFilterSchema), since: after.createTime, before: OPEN_END, order: "asc" };
}

/** The position of the newest lead in the store (none in an empty store). */
export async function newestLeadPosition(): Promise<LeadPosition | undefined> {
  const [newest] = await (await cluesDb())
    .select({ createTime: clues.createTime, customerId: clues.customerId })
    .from(clues)
    .orderBy(desc(clues.createTime), desc(clues.customerId))
    .limit(1);
  return newest;
}

export const later = (a: LeadPosition, b: LeadPosition) =>
  a.createTime > b.createTime || (a.createTime === b.createTime && a.customerId > b.customerId) ? a : b;

/**
 * Up to `size` matching leads after `after`, oldest first, normalized as the list shows them (phones masked),
 * and where the next read starts: after the last lead read when the page is full; otherwise after the newest
 * lead the store held before this read (every matching lead up to it is in the page), so leads that do not
 * match are not read again either.
 */
export async function leadsMatchingAfter(viewQuery: string, after: LeadPosition, size: number): Promise<{ items: ClueItem[]; next: LeadPosition }> {
  const db = await cluesDb();
  const newest = await newestLeadPosition();
  const page = await readPage(db, filterAfter(viewQuery, after), { after, size });
  const last = page.records.at(-1);
  const lastRead = last === undefined ? after : later({ createTime: last.record.createTime, customerId: last.record.customerId }, after);
  const next = page.full || newest === undefined ? lastRead : later(newest, lastRead);
  if (page.records.length === 0) return { items: [], next };
  const { index } = await loadDictionary();
  return { items: page.records.map((lead) => normalizeClue(lead.record, index, lead.firstTouch)), next };
}
