import { type InfiniteData, infiniteQueryOptions, mutationOptions, type QueryClient, queryOptions } from "@tanstack/react-query";
import { getJson, postJson } from "@/lib/clues/api-client";
import { REPEATABLE_FILTER_PARAMS, SINGLE_FILTER_PARAMS } from "@/lib/clues/filter-grammar";
import { DEFAULT_PAGE_SIZE } from "@/lib/clues/limits";
import type {
  ClueDetail,
  ClueFacetsResponse,
  ClueListResponse,
  Dictionary,
  ExportFormat,
  FollowUpListResponse,
  PhoneNumbers,
} from "@/lib/clues/schema";
import { type ClueView, viewToRaw } from "@/lib/clues/search-params";
import type { SavedViewList } from "@/lib/views/schema";

/** Clue Desk's API as TanStack Query sees it: keys, fetches and cache rules, shared by every page. */

/** What a clue list shows: a validated URL view, optionally narrowed to one company. */
export type ClueListFilter = ClueView & { companyId?: string };

/**
 * The filters of a list read as the API's query parameters: the page URL's own (`viewToRaw`, the one filter
 * grammar: `since`, `before`, `type`, `order`, `q`, `status`, repeated `tag` and `field=<key>:<itemId>`), then
 * `companyId`. The one translation from a view to a request, shared by the list, its facets, its export and
 * the live arrivals. Repeated values sorted, so equal filters give equal strings.
 */
export function clueFilterParams(f: ClueListFilter): URLSearchParams {
  const raw = viewToRaw(f);
  const q = new URLSearchParams();
  for (const name of ["since", "before", ...SINGLE_FILTER_PARAMS] as const) {
    const value = raw[name];
    if (value !== null) q.set(name, value);
  }
  for (const name of REPEATABLE_FILTER_PARAMS) for (const value of [...raw[name]].sort()) q.append(name, value);
  if (f.companyId !== undefined) q.set("companyId", f.companyId);
  return q;
}

/** Query keys, derived only from the validated view so URL state, cache and request agree. */
export const clueKeys = {
  all: ["clues"] as const,
  lists: () => [...clueKeys.all, "list"] as const,
  /** Every filter is in the key, as the request's own query string. */
  list: (f: ClueListFilter) => [...clueKeys.lists(), clueFilterParams(f).toString()] as const,
  facetsAll: () => [...clueKeys.all, "facets"] as const,
  /** Facets do not depend on the order. */
  facets: (f: ClueListFilter) => [...clueKeys.facetsAll(), clueFilterParams({ ...f, order: "desc" }).toString()] as const,
  detail: (customerId: string) => [...clueKeys.all, "detail", customerId] as const,
  followUps: (customerId: string) => [...clueKeys.all, "detail", customerId, "follow-ups"] as const,
  dictionary: () => ["dictionary"] as const,
  views: () => ["views"] as const,
};

export function clueListUrl(f: ClueListFilter, cursor: string | null): string {
  const q = clueFilterParams(f);
  q.set("size", String(DEFAULT_PAGE_SIZE));
  if (cursor !== null) q.set("cursor", cursor);
  return `/api/clues?${q.toString()}`;
}

export function clueFacetsUrl(f: ClueListFilter): string {
  const q = clueFilterParams({ ...f, order: "desc" });
  return `/api/clues/facets?${q.toString()}`;
}

export function clueExportUrl(f: ClueListFilter, format: ExportFormat): string {
  const q = clueFilterParams(f);
  q.set("format", format);
  return `/api/clues/export?${q.toString()}`;
}

/** `POST /api/sync` for the view's range (the 刷新 button): only the range counts, not the filters. */
export function syncUrl(f: Pick<ClueListFilter, "since" | "before">): string {
  return `/api/sync?${new URLSearchParams({ since: f.since, before: f.before }).toString()}`;
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
    // While the range's days are first walked, the list is read again until every day is in (the progress bar).
    // Not while Tanma is failing: the days left are the ones it could not give.
    refetchInterval: (query) => {
      const sync = query.state.data?.pages.at(-1)?.sync;
      return sync !== undefined && sync.pendingDays > 0 && !sync.stale ? COLD_SYNC_POLL_MS : false;
    },
  });
}

const COLD_SYNC_POLL_MS = 1500;

/** Counts per filter value, the total and the histogram for the view's range and filters. */
export const clueFacetsQueryOptions = (f: ClueListFilter) =>
  queryOptions({
    queryKey: clueKeys.facets(f),
    queryFn: ({ signal }) => getJson<ClueFacetsResponse>(clueFacetsUrl(f), signal),
    staleTime: 60_000,
  });

export const dictionaryQueryOptions = () =>
  queryOptions({
    queryKey: clueKeys.dictionary(),
    queryFn: ({ signal }) => getJson<Dictionary>("/api/dictionary", signal),
    staleTime: 60 * 60_000,
    gcTime: Infinity,
  });

/** The caller's saved views (per signed-in user, or per browser with sign-in off). */
export const savedViewsQueryOptions = () =>
  queryOptions({
    queryKey: clueKeys.views(),
    queryFn: ({ signal }) => getJson<SavedViewList>("/api/views", signal),
    staleTime: 5 * 60_000,
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
