"use client";

import "@/components/data-table/column-meta";
import { type ColumnDef, getCoreRowModel, type Table, type Updater, useReactTable, type VisibilityState } from "@tanstack/react-table";
import { type CSSProperties, type ReactNode, type RefObject, useEffect, useLayoutEffect, useRef } from "react";
import { shouldFetchNextPage } from "@/components/data-table/fetch-next-page";
import { type TableQueryState, TableStatusView, tableStatus } from "@/components/data-table/table-status";
import { useRowFocus } from "@/components/data-table/use-row-focus";
import { cssVarName, GridHeader, ROW_HEIGHT, SkeletonBody, useVirtualGrid, VirtualRow } from "@/components/data-table/virtual-grid";

/** The slice of a TanStack infinite query the table needs. */
export type InfiniteState = TableQueryState & {
  error: unknown;
  isFetchNextPageError: boolean;
  isFetching: boolean;
  fetchNextPage: () => unknown;
  refetch: () => unknown;
};

export type InfiniteDataTableProps<T> = {
  data: T[];
  columns: ColumnDef<T, unknown>[];
  getRowId: (row: T) => string;
  query: InfiniteState;
  /** Human message for the query's error. */
  errorMessage: (error: unknown) => string;
  onOpenRow: (row: T) => void;
  /** `rowLabel` and `rowDataAttributes` must be stable (module-level) functions: rows are memoized on them. */
  rowLabel: (row: T) => string;
  rowTestId?: string;
  rowDataAttributes?: (row: T) => Record<`data-${string}`, string>;
  columnVisibility: VisibilityState;
  onColumnVisibilityChange: (updater: Updater<VisibilityState>) => void;
  /** Rendered when the query is exhausted with no rows. */
  emptyState: ReactNode;
  /** Rendered above the table with the table instance (column menu, counts). */
  toolbar?: (table: Table<T>) => ReactNode;
  /** `aria-label` of the table. */
  label: string;
  testId?: string;
  /** Whether the table is the active view (false while a sheet covers it): gives focus back when it returns. */
  active?: boolean;
  /** Rendered over the top of the scrolling area (e.g. a "new rows" pill). */
  overlay?: ReactNode;
  /** The row a sheet over the table shows (while not `active`): highlighted, kept in view, focused on return. */
  selectedRowId?: string;
};

/**
 * A virtualized, infinitely scrolled table: TanStack Table for columns, visibility and sizing; the virtual
 * grid (virtual-grid.tsx) for the DOM; roving row focus (use-row-focus.ts); the next page fetched well before
 * the bottom (fetch-next-page.ts); and the loading, empty and error states (table-status.tsx).
 */
export function InfiniteDataTable<T>(props: InfiniteDataTableProps<T>) {
  const {
    data,
    columns,
    getRowId,
    query,
    onOpenRow,
    rowLabel,
    rowTestId = "data-row",
    rowDataAttributes,
    columnVisibility,
    onColumnVisibilityChange,
    emptyState,
    toolbar,
    label,
    testId = "data-table",
    active = true,
    selectedRowId,
    overlay,
  } = props;

  // The table instance provides columns, headers, visibility and sizing. Body rows are rendered from `data`
  // directly (see VirtualRow), never from `table.getRowModel()`: the core row model rebuilds a Row object,
  // with every feature's methods, for all loaded rows whenever a page arrives.
  const table = useReactTable({
    data,
    columns,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    state: { columnVisibility },
    onColumnVisibilityChange,
    defaultColumn: { size: 140, minSize: 60 },
  });

  const rowCount = data.length;
  const scrollRef = useRef<HTMLDivElement>(null);
  const visibleColumns = table.getVisibleLeafColumns();
  const { rowVirtualizer, columnVirtualizer, columnIdList } = useVirtualGrid({ scrollRef, rows: data, getRowId, visibleColumns });
  const virtualItems = rowVirtualizer.getVirtualItems();
  const virtualColumns = columnVirtualizer.getVirtualItems();
  const lastRenderedIndex = virtualItems.at(-1)?.index ?? -1;

  const { status, hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const fetchNext = shouldFetchNextPage({ status, hasNextPage, isFetchingNextPage }, { lastRenderedIndex, rowCount });
  useEffect(() => {
    if (fetchNext) void fetchNextPage();
  }, [fetchNext, lastRenderedIndex, rowCount, fetchNextPage]);

  const selectedIndex = selectedRowId === undefined ? undefined : data.findIndex((row) => getRowId(row) === selectedRowId);
  const focus = useRowFocus({ scrollRef, rows: data, rowHeight: ROW_HEIGHT, onOpenRow, active, selectedIndex });

  const columnVars: Record<string, string> = {};
  for (const col of visibleColumns) columnVars[cssVarName(col.id)] = `${col.getSize()}px`;

  useScrollAnchor(scrollRef, data, getRowId);

  const shown = tableStatus(query, rowCount);
  const retry = () => void (query.isFetchNextPageError ? fetchNextPage() : query.refetch());

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {toolbar?.(table)}
      <div className="relative flex min-h-0 flex-1 flex-col">
        {overlay}
        <div
          ref={scrollRef}
          className="quiet-scroll relative min-h-0 flex-1 overflow-auto rounded-lg border border-slate-200 bg-white shadow-xs"
          data-testid={`${testId}-scroll`}
        >
          <table
            role="grid"
            aria-label={label}
            aria-rowcount={hasNextPage ? -1 : rowCount + 1}
            aria-colcount={visibleColumns.length}
            aria-busy={query.isFetching}
            data-testid={testId}
            data-active={String(active)}
            className="grid text-[13px]"
            style={{ ...columnVars, minWidth: "100%", width: table.getTotalSize() } as CSSProperties}
          >
            <GridHeader table={table} />
            {shown.body === "skeleton" ? (
              <SkeletonBody columns={visibleColumns} testId={`${testId}-skeleton`} />
            ) : (
              <tbody className="relative grid" style={{ height: rowVirtualizer.getTotalSize() }} {...focus.handlers}>
                {virtualItems.map((item) => {
                  const original = data[item.index];
                  if (original === undefined) return null;
                  return (
                    <VirtualRow
                      key={item.key}
                      table={table}
                      id={String(item.key)}
                      original={original}
                      index={item.index}
                      start={item.start}
                      tabbable={item.index === focus.tabbableIndex}
                      selected={item.index === focus.followedIndex}
                      testId={rowTestId}
                      label={rowLabel}
                      dataAttributes={rowDataAttributes}
                      columns={columns}
                      visibleColumnIds={columnIdList}
                      columnFirst={virtualColumns[0]?.index ?? 0}
                      columnLast={virtualColumns.at(-1)?.index ?? -1}
                      columnOffset={virtualColumns[0]?.start ?? 0}
                    />
                  );
                })}
              </tbody>
            )}
          </table>
          <TableStatusView
            status={shown}
            rowCount={rowCount}
            errorMessage={status === "error" ? props.errorMessage(query.error) : ""}
            onRetry={retry}
            retrying={query.isFetching}
            emptyState={emptyState}
          />
        </div>
      </div>
    </div>
  );
}

/**
 * Rows put in front of the loaded ones (new arrivals shown on top) leave what the user was reading where it
 * was: the scroll offset grows by their height before the browser paints. Only a pure prepend counts (the
 * rows grew by exactly the rows now in front of the previous first one), not a new view that happens to hold
 * the previous first row further down. At the very top the new rows simply show.
 */
function useScrollAnchor<T>(scrollRef: RefObject<HTMLElement | null>, data: readonly T[], getRowId: (row: T) => string) {
  const firstId = data[0] === undefined ? undefined : getRowId(data[0]);
  const previous = useRef({ firstId, length: data.length });
  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = { firstId, length: data.length };
    const scroller = scrollRef.current;
    if (before.firstId === undefined || before.firstId === firstId || !scroller || scroller.scrollTop === 0) return;
    const added = data.findIndex((row) => getRowId(row) === before.firstId);
    if (added > 0 && data.length === before.length + added) scroller.scrollTop += added * ROW_HEIGHT;
  }, [firstId, data, getRowId, scrollRef]);
}
