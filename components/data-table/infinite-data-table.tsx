"use client";
"use no memo"; // TanStack Table's instance mutates in place; keep the React Compiler away from it.

import "@/components/data-table/column-meta";
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type Table,
  type Updater,
  useReactTable,
  type VisibilityState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { copy } from "@/lib/copy";

export const ROW_HEIGHT = 36;
/** Rows rendered beyond the viewport on each side; with a ~900px viewport the DOM holds ≈ 25 + 2×12 rows. */
const OVERSCAN = 12;
/** Fetch the next page once the last rendered row is this close to the end of what is loaded. */
const PREFETCH_ROWS = 30;
const SKELETON_ROWS = 12;

/** The slice of a TanStack infinite query the table needs. */
export type InfiniteState = {
  status: "pending" | "error" | "success";
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
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
};

const cssVarName = (columnId: string) => `--col-${columnId.replace(/[^a-zA-Z0-9_-]/g, "_")}`;

/**
 * A virtualized, infinitely scrolled table: a CSS grid/flex layout (so the header stays sticky while rows are
 * absolutely positioned), column widths as CSS variables, a bounded number of DOM rows, the next page
 * prefetched well before the bottom, and a roving tabindex for the keyboard.
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
  } = props;

  const table = useReactTable({
    data,
    columns,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    state: { columnVisibility },
    onColumnVisibilityChange,
    defaultColumn: { size: 140, minSize: 60 },
  });

  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVirtualIndex = virtualItems.at(-1)?.index ?? -1;

  const { hasNextPage, isFetchingNextPage, status, fetchNextPage, isFetchNextPageError } = query;
  const blocked = status === "error"; // after an error, only the retry button fetches again

  // Prefetch: when the last rendered row is within PREFETCH_ROWS of the end. Also covers pages that come
  // back empty but with a cursor (company filter): zero rows means "at the end", so fetching continues.
  useEffect(() => {
    if (status !== "success" || !hasNextPage || isFetchingNextPage || blocked) return;
    if (lastVirtualIndex >= rows.length - 1 - PREFETCH_ROWS) void fetchNextPage();
  }, [status, hasNextPage, isFetchingNextPage, blocked, lastVirtualIndex, rows.length, fetchNextPage]);

  // Roving tabindex: exactly one row is tabbable; arrows move it and keep it scrolled into view.
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const tabIndexRow = Math.min(focusIndex, Math.max(rows.length - 1, 0));

  const focusRow = useCallback(
    (index: number) => {
      const clamped = Math.max(0, Math.min(index, rows.length - 1));
      setFocusIndex(clamped);
      pendingFocus.current = clamped;
      // Rows have a fixed height and sit below the sticky header, so the scroll offset that shows a row is
      // exact arithmetic (the virtualizer's scrollToIndex does not know about the header above its items).
      const scroller = scrollRef.current;
      if (!scroller) return;
      const header = scroller.querySelector("thead")?.getBoundingClientRect().height ?? ROW_HEIGHT;
      const top = clamped * ROW_HEIGHT;
      const visible = scroller.clientHeight - header;
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + ROW_HEIGHT > scroller.scrollTop + visible) scroller.scrollTop = top + ROW_HEIGHT - visible;
    },
    [rows.length],
  );

  // Focus a row once the virtualizer has rendered it (it may need a frame after scrollToIndex).
  useLayoutEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });

  // When the view becomes active again (a sheet over it closed), give focus back to the row it came from.
  const wasActive = useRef(active);
  useEffect(() => {
    if (active && !wasActive.current && rows.length > 0) {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${tabIndexRow}"]`);
      el?.focus({ preventScroll: true });
    }
    wasActive.current = active;
  }, [active, rows.length, tabIndexRow]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const rowEl = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
    if (!rowEl || rowEl !== event.target) return; // keys inside links etc. keep their own meaning
    // A key pressed before the previous move's row rendered continues from where focus is going.
    const index = pendingFocus.current ?? Number(rowEl.dataset.index);
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + pageRows,
      PageUp: index - pageRows,
      Home: 0,
      End: rows.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      focusRow(target);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const row = rows[index];
      if (row) onOpenRow(row.original);
    }
  };

  const visibleColumns = table.getVisibleLeafColumns();
  const columnVars: Record<string, string> = {};
  for (const col of visibleColumns) columnVars[cssVarName(col.id)] = `${col.getSize()}px`;
  const totalWidth = table.getTotalSize();

  const isFirstLoad = status === "pending" || (rows.length === 0 && hasNextPage && status === "success");
  const isEmpty = status === "success" && rows.length === 0 && !hasNextPage;
  const isBlockingError = status === "error" && rows.length === 0;
  const loadedCount = rows.length;

  const errorText = status === "error" ? props.errorMessage(query.error) : "";
  const retry = () => {
    if (isFetchNextPageError) void fetchNextPage();
    else void query.refetch();
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {toolbar?.(table)}
      <div
        ref={scrollRef}
        className="quiet-scroll relative min-h-0 flex-1 overflow-auto rounded-lg border border-slate-200 bg-white shadow-xs"
        data-testid={`${testId}-scroll`}
      >
        <table
          role="grid"
          aria-label={label}
          aria-rowcount={hasNextPage ? -1 : loadedCount + 1}
          aria-busy={query.isFetching}
          data-testid={testId}
          data-active={String(active)}
          className="grid text-[13px]"
          style={{ ...columnVars, minWidth: "100%", width: totalWidth } as React.CSSProperties}
        >
          <thead className="sticky top-0 z-10 grid border-b border-slate-200 bg-slate-50/95 backdrop-blur">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} className="flex w-full" aria-rowindex={1}>
                {group.headers.map((header) => {
                  const meta = header.column.columnDef.meta;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      data-testid={`column-header-${meta?.testKey ?? header.id}`}
                      title={meta?.label}
                      className={`flex h-9 shrink-0 items-center truncate px-3 text-left text-xs font-medium text-slate-500 ${
                        meta?.align === "end" ? "justify-end" : ""
                      }`}
                      style={{ width: `var(${cssVarName(header.column.id)})` }}
                    >
                      <span className="truncate">
                        {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                      </span>
                    </th>
                  );
                })}
                <th aria-hidden className="flex-1" />
              </tr>
            ))}
          </thead>

          {isFirstLoad ? (
            <tbody className="grid" aria-busy data-testid={`${testId}-skeleton`}>
              {Array.from({ length: SKELETON_ROWS }, (_, i) => (
                <tr key={i} className="flex w-full border-b border-slate-100" style={{ height: ROW_HEIGHT }}>
                  {visibleColumns.map((col) => (
                    <td
                      key={col.id}
                      className="flex shrink-0 items-center px-3"
                      style={{ width: `var(${cssVarName(col.id)})` }}
                    >
                      <span className="skeleton h-3" style={{ width: `${45 + ((i * 7 + col.getIndex() * 13) % 45)}%` }} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          ) : (
            <tbody
              className="relative grid"
              style={{ height: virtualizer.getTotalSize() }}
              onKeyDown={onKeyDown}
            >
              {virtualItems.map((item) => {
                const row = rows[item.index];
                if (!row) return null;
                return (
                  <tr
                    key={row.id}
                    data-index={item.index}
                    data-testid={rowTestId}
                    {...rowDataAttributes?.(row.original)}
                    aria-rowindex={item.index + 2}
                    aria-label={rowLabel(row.original)}
                    tabIndex={item.index === tabIndexRow ? 0 : -1}
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest("a,button")) return;
                      setFocusIndex(item.index);
                      onOpenRow(row.original);
                    }}
                    onFocus={(e) => {
                      if (e.target === e.currentTarget && item.index !== focusIndex) setFocusIndex(item.index);
                    }}
                    className="absolute left-0 flex w-full cursor-pointer border-b border-slate-100 outline-none hover:bg-slate-50 focus-visible:bg-indigo-50/70 focus-visible:shadow-[inset_3px_0_0_var(--color-indigo-500)]"
                    style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  >
                    {row.getVisibleCells().map((cell) => {
                      const meta = cell.column.columnDef.meta;
                      return (
                        <td
                          key={cell.id}
                          className={`flex shrink-0 items-center overflow-hidden px-3 whitespace-nowrap ${
                            meta?.align === "end" ? "justify-end text-right tabular-nums" : ""
                          }`}
                          style={{ width: `var(${cssVarName(cell.column.id)})` }}
                        >
                          {flexRender(cell.column.columnDef.cell, cell.getContext())}
                        </td>
                      );
                    })}
                    <td aria-hidden className="flex-1" />
                  </tr>
                );
              })}
            </tbody>
          )}
        </table>

        {isBlockingError ? (
          <ErrorPanel message={errorText} onRetry={retry} retrying={query.isFetching} big />
        ) : isEmpty ? (
          <div data-testid="empty-state" className="sticky left-0 flex w-full justify-center py-16">
            {emptyState}
          </div>
        ) : null}

        {!isBlockingError && !isEmpty ? (
          <div
            data-testid="table-footer"
            aria-live="polite"
            className="sticky left-0 flex h-12 w-full items-center justify-center gap-3 text-xs text-slate-500"
          >
            {isFetchingNextPage || isFirstLoad ? (
              <span className="inline-flex items-center gap-2">
                <Spinner />
                {copy.list.loading}
              </span>
            ) : status === "error" ? (
              <ErrorPanel message={errorText} onRetry={retry} retrying={query.isFetching} keptRows={loadedCount} />
            ) : hasNextPage ? (
              <span>{copy.list.loadMoreHint}</span>
            ) : (
              <span>{copy.list.allLoaded(loadedCount)}</span>
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function Spinner() {
  return (
    <span
      aria-hidden
      className="inline-block size-3.5 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-500"
    />
  );
}

function ErrorPanel(props: {
  message: string;
  onRetry: () => void;
  retrying: boolean;
  big?: boolean;
  keptRows?: number;
}) {
  const { message, onRetry, retrying, big = false, keptRows } = props;
  return (
    <div
      role="alert"
      data-testid="error-state"
      className={
        big
          ? "sticky left-0 flex w-full flex-col items-center gap-3 px-6 py-12 text-center"
          : "flex items-center gap-3"
      }
    >
      {big ? (
        <>
          <div className="text-sm font-medium text-slate-800">{copy.list.errorTitle}</div>
          <div className="text-sm break-all text-rose-700" data-testid="error-message">
            {message}
          </div>
        </>
      ) : (
        <span className="text-rose-700" data-testid="error-message">
          {copy.list.errorFooter}：{message}
          {keptRows !== undefined && keptRows > 0 ? <span className="ml-1 text-slate-500">{copy.list.keptRows(keptRows)}</span> : null}
        </span>
      )}
      <button
        type="button"
        data-testid="retry-button"
        onClick={onRetry}
        disabled={retrying}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 shadow-xs hover:bg-slate-50 disabled:opacity-60"
      >
        {retrying ? copy.list.retrying : copy.list.retry}
      </button>
    </div>
  );
}
