"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { buildClueColumns } from "@/components/clues/clue-columns";
import { ColumnVisibilityMenu } from "@/components/data-table/column-visibility-menu";
import { InfiniteDataTable } from "@/components/data-table/infinite-data-table";
import { usePersistentVisibility } from "@/components/data-table/use-persistent-visibility";
import { useSheetNavigation } from "@/components/clues/use-sheet-navigation";
import { NewArrivalsPill, useLiveArrivals } from "@/components/clues/live-arrivals";
import { ArrivalsChartPlaceholder } from "@/components/clues/arrivals-chart-placeholder";
import type { DayRange } from "@/lib/date-presets";
import { errorMessage } from "@/lib/clues/api-client";
import { clueDisplayName } from "@/lib/clues/display";
import { collectFieldKeys, fieldKeysSignature } from "@/lib/clues/field-keys";
import { type ClueListFilter, clueListQueryOptions, dictionaryQueryOptions } from "@/lib/clues/query-options";
import type { ClueItem, ClueListResponse } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

const EMPTY: ClueItem[] = [];

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
 * The clue table for a filter (the list page and the company page): infinite query, dynamic field columns
 * labelled from the dictionary, persisted column visibility.
 */
export function ClueTable(props: {
  filter: ClueListFilter;
  /** Controls rendered at the start of the toolbar (date picker, type toggle). */
  controls?: ReactNode;
  /** What the table says when the filter has no clues. */
  empty: { title: string; hint: string };
  storageKey: string;
  showCompany?: boolean;
  active?: boolean;
  /** Narrows the view's date range (a click or drag on the arrivals chart); without it, no chart. */
  onNarrowRange?: (range: DayRange) => void;
  /** The lead the detail sheet over the table shows: kept in view, and ↑/↓ in the sheet step through the rows. */
  sheetRowId?: string;
}) {
  const { filter, controls, empty, storageKey, showCompany = true, active = true, sheetRowId, onNarrowRange } = props;
  const router = useRouter();
  const query = useInfiniteQuery(clueListQueryOptions(filter));
  const dictionary = useQuery(dictionaryQueryOptions());

  // Stable row array: recomputed only when pages change (not on every render).
  const pages = query.data?.pages;
  const rows = useMemo(() => (pages === undefined ? EMPTY : pages.flatMap((p) => p.items)), [pages]);

  const fieldKeys = useFieldKeys(pages);
  const dict = dictionary.data;
  const columns = useMemo(() => buildClueColumns(fieldKeys, dict, { showCompany }), [fieldKeys, dict, showCompany]);

  const [visibility, setVisibility] = usePersistentVisibility(storageKey);

  const openRow = useCallback((row: ClueItem) => router.push(`/clues/${row.customerId}`), [router]);

  const live = useLiveArrivals(filter, rows, query.status === "success");
  useSheetNavigation({ rows, openId: sheetRowId, hasNextPage: query.hasNextPage, fetchNextPage: query.fetchNextPage });

  return (
    <InfiniteDataTable
      data={rows}
      columns={columns}
      getRowId={rowId}
      query={{
        status: query.status,
        error: query.error,
        hasNextPage: query.hasNextPage,
        isFetchingNextPage: query.isFetchingNextPage,
        isFetchNextPageError: query.isFetchNextPageError,
        isFetching: query.isFetching,
        fetchNextPage: query.fetchNextPage,
        refetch: query.refetch,
      }}
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
        <>
          <div className="flex flex-wrap items-center gap-2 pb-3">
            {controls}
            <span data-testid="row-count" className="text-xs text-slate-500 tabular-nums" aria-live="polite">
              {copy.list.loadedCount(rows.length)}
            </span>
            <div className="ml-auto">
              <ColumnVisibilityMenu table={table} />
            </div>
          </div>
          {onNarrowRange ? <ArrivalsChart filter={filter} onNarrow={onNarrowRange} /> : null}
        </>
      )}
    />
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
