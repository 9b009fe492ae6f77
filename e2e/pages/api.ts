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
