import { type InfiniteData, infiniteQueryOptions, mutationOptions, type QueryClient, queryOptions } from "@tanstack/react-query";
import { getJson, postJson } from "@/lib/clues/api-client";
import { DEFAULT_PAGE_SIZE } from "@/lib/clues/limits";
import type { ClueDetail, ClueListResponse, Dictionary, FollowUpListResponse, PhoneNumbers } from "@/lib/clues/schema";
import type { ClueView } from "@/lib/clues/search-params";

/** Clue Desk's API as TanStack Query sees it: keys, fetches and cache rules, shared by every page. */

/** What a clue list shows: a validated URL view, optionally narrowed to one company. */
export type ClueListFilter = ClueView & { companyId?: string };

/** Query keys, derived only from the validated view so URL state, cache and request agree. */
export const clueKeys = {
  all: ["clues"] as const,
  lists: () => [...clueKeys.all, "list"] as const,
  list: (f: ClueListFilter) =>
    [...clueKeys.lists(), { since: f.since, before: f.before, type: f.type ?? null, companyId: f.companyId ?? null }] as const,
  detail: (customerId: string) => [...clueKeys.all, "detail", customerId] as const,
  followUps: (customerId: string) => [...clueKeys.all, "detail", customerId, "follow-ups"] as const,
  dictionary: () => ["dictionary"] as const,
};

export function clueListUrl(f: ClueListFilter, cursor: string | null): string {
  const q = new URLSearchParams({ since: f.since, before: f.before, size: String(DEFAULT_PAGE_SIZE) });
  if (f.type !== undefined) q.set("type", String(f.type));
  if (f.companyId !== undefined) q.set("companyId", f.companyId);
  if (cursor !== null) q.set("cursor", cursor);
  return `/api/clues?${q.toString()}`;
}

/**
 * The list as an infinite query over the cursor API. No `maxPages`: the table must keep every loaded row to
 * count them exactly and to let the user scroll back, so memory is bounded instead by keeping rows lean
 * (the API's plain `ClueItem`s, no per-row derived objects) and by virtualizing the DOM.
 */
export function clueListQueryOptions(f: ClueListFilter) {
  return infiniteQueryOptions({
    queryKey: clueKeys.list(f),
    queryFn: ({ pageParam, signal }) => getJson<ClueListResponse>(clueListUrl(f, pageParam), signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 5 * 60_000,
  });
}

export const dictionaryQueryOptions = () =>
  queryOptions({
    queryKey: clueKeys.dictionary(),
    queryFn: ({ signal }) => getJson<Dictionary>("/api/dictionary", signal),
    staleTime: 60 * 60_000,
    gcTime: Infinity,
  });

export const clueDetailQueryOptions = (customerId: string) =>
  queryOptions({
    queryKey: clueKeys.detail(customerId),
    queryFn: ({ signal }) => getJson<ClueDetail>(`/api/clues/${encodeURIComponent(customerId)}`, signal),
    staleTime: 60_000,
  });

export const followUpsQueryOptions = (customerId: string) =>
  infiniteQueryOptions({
    queryKey: clueKeys.followUps(customerId),
    queryFn: ({ pageParam, signal }) =>
      getJson<FollowUpListResponse>(
        `/api/clues/${encodeURIComponent(customerId)}/follow-ups${
          pageParam === null ? "" : `?cursor=${encodeURIComponent(pageParam)}`
        }`,
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 60_000,
  });

/** The audited reveal of a clue's full phone numbers: a POST, never cached or retried on its own. */
export const revealPhonesMutationOptions = (customerId: string) =>
  mutationOptions({
    mutationKey: [...clueKeys.detail(customerId), "phones"],
    mutationFn: () => postJson<PhoneNumbers>(`/api/clues/${encodeURIComponent(customerId)}/phones`),
  });

/** The clue's row in any list already loaded, as a detail without what only the detail carries. */
export function cachedListRow(queryClient: QueryClient, customerId: string): ClueDetail | undefined {
  for (const [, data] of queryClient.getQueriesData<InfiniteData<ClueListResponse>>({ queryKey: clueKeys.lists() })) {
    for (const page of data?.pages ?? []) {
      const hit = page.items.find((c) => c.customerId === customerId);
      if (hit) return { ...hit, convertCustomerTime: null };
    }
  }
  return undefined;
}
