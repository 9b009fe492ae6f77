"use client";

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { Button } from "@/components/button";
import { buildClueColumns } from "@/components/clues/clue-columns";
import { useLiveTouches } from "@/components/clues/live-touches";
import { ExportMenu } from "@/components/clues/export-menu";
import { FilterMenu } from "@/components/clues/filter-menu";
import { SavedViewsMenu } from "@/components/clues/saved-views-menu";
import { SearchBox } from "@/components/clues/search-box";
import { SearchTermContext } from "@/components/clues/search-highlight";
import { SyncStatus } from "@/components/clues/sync-status";
import { ColumnVisibilityMenu } from "@/components/data-table/column-visibility-menu";
import { InfiniteDataTable } from "@/components/data-table/infinite-data-table";
import { usePersistentVisibility } from "@/components/data-table/use-persistent-visibility";
import { useSheetNavigation } from "@/components/clues/use-sheet-navigation";
import { NewArrivalsPill, useLiveArrivals } from "@/components/clues/live-arrivals";
import { ArrivalsChartPlaceholder } from "@/components/clues/arrivals-chart-placeholder";
import type { DayRange } from "@/lib/date-presets";
import { ApiFetchError, errorMessage, postJson } from "@/lib/clues/api-client";
import { clueDisplayName } from "@/lib/clues/display";
import { collectFieldKeys, fieldKeysSignature } from "@/lib/clues/field-keys";
import {
  type ClueListFilter,
  clueFacetsQueryOptions,
  clueKeys,
  clueListQueryOptions,
  dictionaryQueryOptions,
  syncUrl,
} from "@/lib/clues/query-options";
import type { ClueItem, ClueListResponse, SyncResponse } from "@/lib/clues/schema";
import { hasFilters, type RawClueSearchParams } from "@/lib/clues/search-params";
import { copy } from "@/lib/copy";

const EMPTY: ClueItem[] = [];

// Shown only while filters are on: loaded then, out of the list's first-load JS.
const ActiveFilters = dynamic(() => import("@/components/clues/active-filters"), { ssr: false });
// Shown only while a range first syncs or Tanma is down: loaded then, out of the list's first-load JS.
const SyncNotice = dynamic(() => import("@/components/clues/sync-notice"), { ssr: false });
// Loaded after the page is interactive: the rows come first, the chart's code and its facets after.
const ArrivalsChart = dynamic(() => import("@/components/clues/arrivals-chart").then((m) => m.ArrivalsChart), {
  ssr: false,
  loading: ArrivalsChartPlaceholder,
});

// Module-level, so the memoized table rows see the same functions on every render.
const rowId = (r: ClueItem) => r.customerId;
const rowLabel = (r: ClueItem) => copy.list.openClue(clueDisplayName(r));
const rowDataAttributes = (r: ClueItem) => ({ "data-customer-id": r.customerId, "data-type": String(r.type) });

/**
 * The clue desk for a filter (the list page and the company page): the toolbar (search, filters with counts,
 * order, saved views, export, columns), the active filters as chips, totals and the store's sync state, and
 * the table: infinite query, dynamic field columns labelled from the dictionary, persisted column visibility,
 * search matches highlighted.
 */
export function ClueTable(props: {
  filter: ClueListFilter;
  /** Writes a change of the view to the URL. */
  onViewChange: (patch: Partial<RawClueSearchParams>) => void;
  /** Controls rendered at the start of the toolbar (date picker, type toggle). */
  controls?: ReactNode;
  /** What the table says when the filter has no clues. */
  empty: { title: string; hint: string };
  storageKey: string;
  showCompany?: boolean;
  /** The page fixes the type (a company's leads): no type chip. */
  typeFixed?: boolean;
  active?: boolean;
  /** The lead the detail sheet over the table shows: kept in view, and ↑/↓ in the sheet step through the rows. */
  sheetRowId?: string;
}) {
  const { filter, onViewChange, controls, empty, storageKey, showCompany = true, typeFixed = false, active = true, sheetRowId } = props;
  const router = useRouter();
  const query = useInfiniteQuery(clueListQueryOptions(filter));
  const facets = useQuery(clueFacetsQueryOptions(filter));
  const dictionary = useQuery(dictionaryQueryOptions());
  const lastPage = query.data?.pages.at(-1);
  const sync = lastPage?.sync;
  const total = lastPage?.total;
  const totalFinal = lastPage?.totalFinal ?? true;

  const refresh = useRefresh(filter);

  // Stable row array: recomputed only when pages change (not on every render).
  const pages = query.data?.pages;
  const rows = useMemo(() => (pages === undefined ? EMPTY : pages.flatMap((p) => p.items)), [pages]);

  const fieldKeys = useFieldKeys(pages);
  const dict = dictionary.data;
  const slaMinutes = facets.data?.firstTouch.slaMinutes;
  const columns = useMemo(() => buildClueColumns(fieldKeys, dict, { showCompany, slaMinutes }), [fieldKeys, dict, showCompany, slaMinutes]);

  const [visibility, setVisibility] = usePersistentVisibility(storageKey);

  const openRow = useCallback((row: ClueItem) => router.push(`/clues/${row.customerId}`), [router]);

  const live = useLiveArrivals(filter, rows, query.status === "success");
  useLiveTouches(filter, rows, query.status === "success");
  // Stable across the table's scroll-frame renders, so the memoized chart skips them.
  const narrowRange = useCallback((range: DayRange) => onViewChange({ since: range.since, before: range.before }), [onViewChange]);
  useSheetNavigation({ rows, openId: sheetRowId, hasNextPage: query.hasNextPage, fetchNextPage: query.fetchNextPage });

  return (
    <SearchTermContext value={filter.q}>
    <InfiniteDataTable
      data={rows}
      columns={columns}
      getRowId={rowId}
      query={query}
      errorMessage={errorMessage}
      onOpenRow={openRow}
      rowLabel={rowLabel}
      rowTestId="clue-row"
      rowDataAttributes={rowDataAttributes}
      columnVisibility={visibility}
      onColumnVisibilityChange={setVisibility}
      emptyState={
        <div className="flex flex-col items-center gap-1 text-center">
          <div className="text-sm font-medium text-slate-700">{empty.title}</div>
          <div className="text-xs text-slate-500">{empty.hint}</div>
        </div>
      }
      label={copy.list.heading}
      testId="clue-table"
      active={active}
      selectedRowId={sheetRowId}
      overlay={<NewArrivalsPill count={live.count} onShow={live.show} />}
      toolbar={(table) => (
        <div className="flex flex-col gap-2 pb-2">
          <div className="flex flex-wrap items-center gap-2">
            {controls}
            <FilterMenu view={filter} facets={{ data: facets.data, error: facets.error }} dictionary={dict} onChange={onViewChange} />
            <SearchBox value={filter.q} onChange={(q) => onViewChange({ q })} enabled={active} />
            <Button
              size="toolbar"
              data-testid="order-toggle"
              data-order={filter.order}
              aria-label={copy.desk.orderLabel(filter.order === "desc" ? copy.desk.orderDesc : copy.desk.orderAsc)}
              onClick={() => onViewChange({ order: filter.order === "desc" ? "asc" : null })}
              className="text-[13px]"
            >
              <svg aria-hidden viewBox="0 0 20 20" className="size-4 text-slate-500" fill="none" stroke="currentColor" strokeWidth="1.8">
                {filter.order === "desc" ? <path d="M10 4v12m0 0-4-4m4 4 4-4" strokeLinecap="round" strokeLinejoin="round" /> : <path d="M10 16V4m0 0L6 8m4-4 4 4" strokeLinecap="round" strokeLinejoin="round" />}
              </svg>
              {filter.order === "desc" ? copy.desk.orderDesc : copy.desk.orderAsc}
            </Button>
            <div className="ml-auto flex items-center gap-2">
              <SavedViewsMenu view={filter} />
              <ExportMenu filter={filter} total={total} />
              <ColumnVisibilityMenu table={table} />
            </div>
          </div>
          <div className="flex min-h-6 flex-wrap items-center gap-1.5">
            {hasFilters(filter) ? <ActiveFilters view={filter} dictionary={dict} typeFixed={typeFixed} onChange={onViewChange} /> : null}
            <span className="ml-auto inline-flex items-center gap-3 text-xs text-slate-500">
              <span className="tabular-nums" aria-live="polite">
                <span data-testid="row-count">{copy.list.loadedCount(rows.length)}</span>
                {total === undefined ? null : (
                  <>
                    <span aria-hidden className="px-1.5 text-slate-300">
                      ·
                    </span>
                    <span data-testid="total-count" data-total={total} data-final={totalFinal} className="font-medium text-slate-700">
                      {totalFinal || sync === undefined ? copy.desk.total(total) : copy.desk.totalSoFar(total, sync.days - sync.pendingDays, sync.days)}
                    </span>
                  </>
                )}
              </span>
              <SyncStatus sync={sync} onRefresh={refresh.run} refreshing={refresh.pending} refreshError={refresh.error} />
            </span>
          </div>
          {sync !== undefined && (sync.stale || sync.pendingDays > 0) ? <SyncNotice sync={sync} /> : null}
          <ArrivalsChart filter={filter} onNarrow={narrowRange} />
        </div>
      )}
    />
    </SearchTermContext>
  );
}

/**
 * The field keys of the loaded pages, as the same array for as long as the *set* of keys is unchanged: the
 * columns depend on it, not on the rows, so a page with no new key keeps the same column objects, and a new
 * key appends a column without touching scroll.
 */
function useFieldKeys(pages: readonly ClueListResponse[] | undefined) {
  const found = useMemo(() => collectFieldKeys(pages ?? []), [pages]);
  const [kept, setKept] = useState(found);
  const unchanged = fieldKeysSignature(kept) === fieldKeysSignature(found);
  if (!unchanged) setKept(found);
  return unchanged ? kept : found;
}

/**
 * 刷新: walks the view's range again (`POST /api/sync`, answered when done), then reads the list and counts
 * again, failed or not: they say whether the copy is now current or stale. A 502 means Tanma could not be
 * reached, which the stale notice says; other failures are returned to show by the button. (Plain state rather
 * than useMutation, whose observer would be the list's only use of it and add to its first-load JS.)
 */
function useRefresh(filter: ClueListFilter): { run: () => void; pending: boolean; error: string | null } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ pending: boolean; error: string | null }>({ pending: false, error: null });
  const run = () => {
    setState({ pending: true, error: null });
    void (async () => {
      let error: string | null = null;
      try {
        await postJson<SyncResponse>(syncUrl(filter));
      } catch (cause) {
        if (!(cause instanceof ApiFetchError && cause.status === 502)) error = errorMessage(cause);
      }
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: clueKeys.list(filter) }),
        queryClient.invalidateQueries({ queryKey: clueKeys.facets(filter) }),
      ]);
      setState({ pending: false, error });
    })();
  };
  return { run, ...state };
}
