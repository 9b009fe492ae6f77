import type { APIRequestContext } from "@playwright/test";
import { expect } from "@playwright/test";
import { addDays, chinaToday } from "../../lib/china-time";
import type { ClueItem, ClueListResponse } from "../../lib/clues/schema";

export { addDays, chinaToday };

/** A GET that waits out the API's per-user rate limit (429 + Retry-After), as a well-behaved client would. */
async function get(request: APIRequestContext, url: string) {
  for (;;) {
    const res = await request.get(url);
    if (res.status() !== 429) return res;
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers()["retry-after"] ?? 1) * 1000));
  }
}

/** Walks `/api/clues` for a filter to the end, returning every page (the ground truth the UI is compared with). */
export async function walkClues(
  request: APIRequestContext,
  q: { since: string; before: string; type?: 1 | 2; companyId?: string },
): Promise<ClueItem[][]> {
  const pages: ClueItem[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 500; i++) {
    const params = new URLSearchParams({ since: q.since, before: q.before, size: "100" });
    if (q.type) params.set("type", String(q.type));
    if (q.companyId) params.set("companyId", q.companyId);
    if (cursor) params.set("cursor", cursor);
    const res = await get(request, `/api/clues?${params.toString()}`);
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as ClueListResponse;
    pages.push(body.items);
    cursor = body.nextCursor;
    if (cursor === null) break;
  }
  return pages;
}

export async function firstPage(
  request: APIRequestContext,
  q: { since: string; before: string; type?: 1 | 2 },
): Promise<ClueListResponse> {
  const params = new URLSearchParams({ since: q.since, before: q.before, size: "100" });
  if (q.type) params.set("type", String(q.type));
  const res = await get(request, `/api/clues?${params.toString()}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as ClueListResponse;
}

export type DayRange = { since: string; before: string };

/**
 * The first clue on the first page of one of the last `days` China days (yesterday first) that `matches`,
 * with its index on that page and the day. Tests pick their records with this instead of hoping today's
 * data has one: the search is deterministic over the seeded data, and a test fails here, saying what it
 * looked for, rather than skipping an assertion.
 */
export async function findClue(
  request: APIRequestContext,
  wanted: string,
  matches: (clue: ClueItem, index: number) => boolean | Promise<boolean>,
  days = 30,
): Promise<{ clue: ClueItem; index: number; range: DayRange }> {
  return searchDays(`${wanted} on a day's first page`, days, async (range) => {
    for (const [index, clue] of (await firstPage(request, range)).items.entries()) {
      if (await matches(clue, index)) return { clue, index, range };
    }
    return undefined;
  });
}

/** What `look` finds in the first of the last `days` China days (yesterday first) where it finds anything. */
export async function searchDays<T>(wanted: string, days: number, look: (range: DayRange) => Promise<T | undefined>): Promise<T> {
  const today = chinaToday();
  for (let d = 1; d <= days; d++) {
    const found = await look({ since: addDays(today, -d), before: addDays(today, -d + 1) });
    if (found !== undefined) return found;
  }
  throw new Error(`found no ${wanted} in the last ${days} days`);
}

/** A list read's filters in the API's own syntax (`tag` and select field keys repeat). */
export type ApiFilter = Record<string, string | string[]>;

function filterParams(filter: ApiFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) for (const v of [value].flat()) params.append(key, v);
  return params;
}

/** `total` of `/api/clues` for any filters: how many leads the range and filters hold. */
export async function apiTotal(request: APIRequestContext, filter: ApiFilter): Promise<number> {
  const params = filterParams(filter);
  params.set("size", "1");
  // A range read for the first time counts only its stored days until every day is in: ask until it is final.
  let body: ClueListResponse | undefined;
  await expect
    .poll(async () => {
      const res = await get(request, `/api/clues?${params.toString()}`);
      expect(res.status(), await res.text()).toBe(200);
      body = (await res.json()) as ClueListResponse;
      return body.totalFinal;
    }, { timeout: 60_000 })
    .toBe(true);
  return body!.total;
}

/** Every customer id `/api/clues` gives for any filters, walked to the end in the API's default order. */
export async function apiIds(request: APIRequestContext, filter: ApiFilter): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 500; i++) {
    const params = filterParams(filter);
    params.set("size", "100");
    if (cursor) params.set("cursor", cursor);
    const res = await get(request, `/api/clues?${params.toString()}`);
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as ClueListResponse;
    ids.push(...body.items.map((c) => c.customerId));
    cursor = body.nextCursor;
    if (cursor === null) break;
  }
  return ids;
}
