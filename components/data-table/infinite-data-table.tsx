"use client";

import "@/components/data-table/column-meta";
import {
  type ColumnDef,
  createRow,
  flexRender,
  getCoreRowModel,
  type Table,
  type Updater,
  useReactTable,
  type VisibilityState,
} from "@tanstack/react-table";
import { observeElementOffset, useVirtualizer } from "@tanstack/react-virtual";
import {
  type FocusEvent,
  type KeyboardEvent,
  memo,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { copy } from "@/lib/copy";

export const ROW_HEIGHT = 36;
/** Rows rendered beyond the viewport on each side; with a ~900px viewport the DOM holds ≈ 25 + 2×12 rows. */
const OVERSCAN = 12;
/**
 * Columns rendered beyond the viewport on each side. Clue tables carry 20+ field columns, most of them to
 * the right of a 1280px window; rendering only the ones in view halves the DOM a scrolled row costs.
 */
const COLUMN_OVERSCAN = 2;
/** Fetch the next page once the last rendered row is this close to the end of what is loaded. */
const PREFETCH_ROWS = 30;
const SKELETON_ROWS = 12;
/**
 * The viewport assumed before the browser has measured one, so the server already renders the first
 * screenful of rows and they paint before hydration.
 */
const INITIAL_RECT = { width: 1280, height: 900 };

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
};

/**
 * The virtualizer's scroll observer, told the element's offset as it starts observing. Otherwise a virtualizer
 * mounts believing the offset is 0 and scrolls there: a server-rendered list scrolled before hydration would
 * jump back to the top.
 */
const observeOffsetFromMount: typeof observeElementOffset = (instance, onOffset) => {
  const element = instance.scrollElement;
  if (element) onOffset(instance.options.horizontal ? element.scrollLeft : element.scrollTop, false);
  return observeElementOffset(instance, onOffset);
};

const cssVarName = (columnId: string) => `--col-${columnId.replace(/[^a-zA-Z0-9_-]/g, "_")}`;

/**
 * A virtualized, infinitely scrolled table: a CSS grid/flex layout (so the header stays sticky while rows are
 * absolutely positioned), column widths as CSS variables, a bounded number of DOM rows and of body cells per
 * row (both axes virtualized), the next page prefetched well before the bottom, and a roving tabindex for the
 * keyboard.
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

  // Stable between pages: the virtualizer recomputes every item's offset whenever this function changes.
  const getItemKey = useCallback(
    (index: number) => {
      const item = data[index];
      return item === undefined ? index : getRowId(item);
    },
    [data, getRowId],
  );
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey,
    initialRect: INITIAL_RECT,
    observeElementOffset: observeOffsetFromMount,
    // Scroll updates are rendered in a normal React batch rather than synchronously in the scroll handler,
    // so a fast fling never blocks the main thread on a forced render.
    useFlushSync: false,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVirtualIndex = virtualItems.at(-1)?.index ?? -1;

  // Body cells are virtualized across too; headers are not (one row, and every column stays findable).
  const visibleColumns = table.getVisibleLeafColumns();
  const visibleColumnIds = visibleColumns.map((c) => c.id).join("\n");
  // Keyed by the id list, the identity of the column set: a new list means new widths to measure.
  const columnIds = useMemo(() => visibleColumnIds.split("\n"), [visibleColumnIds]);
  const getColumnKey = useCallback((index: number) => columnIds[index] ?? index, [columnIds]);
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: visibleColumns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => visibleColumns[index]?.getSize() ?? 0,
    overscan: COLUMN_OVERSCAN,
    getItemKey: getColumnKey,
    initialRect: INITIAL_RECT,
    observeElementOffset: observeOffsetFromMount,
    useFlushSync: false,
  });
  const virtualColumns = columnVirtualizer.getVirtualItems();

  const { hasNextPage, isFetchingNextPage, status, fetchNextPage, isFetchNextPageError } = query;
  const blocked = status === "error"; // after an error, only the retry button fetches again

  // Prefetch: when the last rendered row is within PREFETCH_ROWS of the end. Also covers pages that come
  // back empty but with a cursor (company filter): zero rows means "at the end", so fetching continues.
  useEffect(() => {
    if (status !== "success" || !hasNextPage || isFetchingNextPage || blocked) return;
    if (lastVirtualIndex >= rowCount - 1 - PREFETCH_ROWS) void fetchNextPage();
  }, [status, hasNextPage, isFetchingNextPage, blocked, lastVirtualIndex, rowCount, fetchNextPage]);

  // Roving tabindex: exactly one row is tabbable; arrows move it and keep it scrolled into view.
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const tabIndexRow = Math.min(focusIndex, Math.max(rowCount - 1, 0));

  const focusRow = useCallback(
    (index: number) => {
      const clamped = Math.max(0, Math.min(index, rowCount - 1));
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
    [rowCount],
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
    if (active && !wasActive.current && rowCount > 0) {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${tabIndexRow}"]`);
      el?.focus({ preventScroll: true });
    }
    wasActive.current = active;
  }, [active, rowCount, tabIndexRow]);

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
      End: rowCount - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      focusRow(target);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const item = data[index];
      if (item !== undefined) onOpenRow(item);
    }
  };

  // One click and one focus handler for all rows (delegated), so the memoized rows take no per-render closures.
  const rowIndexOf = (target: EventTarget) => {
    const rowEl = (target as HTMLElement).closest<HTMLElement>("tr[data-index]");
    return rowEl ? Number(rowEl.dataset.index) : undefined;
  };
  const onRowClick = (event: MouseEvent<HTMLElement>) => {
    if ((event.target as HTMLElement).closest("a,button")) return;
    const index = rowIndexOf(event.target);
    const item = index === undefined ? undefined : data[index];
    if (index === undefined || item === undefined) return;
    setFocusIndex(index);
    onOpenRow(item);
  };
  const onRowFocus = (event: FocusEvent<HTMLElement>) => {
    if (!(event.target as HTMLElement).matches("tr[data-index]")) return;
    const index = rowIndexOf(event.target);
    if (index !== undefined && index !== focusIndex) setFocusIndex(index);
  };

  const columnVars: Record<string, string> = {};
  for (const col of visibleColumns) columnVars[cssVarName(col.id)] = `${col.getSize()}px`;
  const totalWidth = table.getTotalSize();

  const isFirstLoad = status === "pending" || (rowCount === 0 && hasNextPage && status === "success");
  const isEmpty = status === "success" && rowCount === 0 && !hasNextPage;
  const isBlockingError = status === "error" && rowCount === 0;

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
          aria-rowcount={hasNextPage ? -1 : rowCount + 1}
          aria-colcount={visibleColumns.length}
          aria-busy={query.isFetching}
          data-testid={testId}
          data-active={String(active)}
          className="grid text-[13px]"
          style={{ ...columnVars, minWidth: "100%", width: totalWidth } as React.CSSProperties}
        >
          <thead className="sticky top-0 z-10 grid border-b border-slate-200 bg-slate-50/95 backdrop-blur">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} className="flex w-full" aria-rowindex={1}>
                {group.headers.map((header, columnIndex) => {
                  const meta = header.column.columnDef.meta;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-colindex={columnIndex + 1}
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
              onClick={onRowClick}
              onFocus={onRowFocus}
            >
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
                    tabbable={item.index === tabIndexRow}
                    testId={rowTestId}
                    label={rowLabel}
                    dataAttributes={rowDataAttributes}
                    columns={columns}
                    visibleColumnIds={visibleColumnIds}
                    columnFirst={virtualColumns[0]?.index ?? 0}
                    columnLast={virtualColumns.at(-1)?.index ?? -1}
                    columnOffset={virtualColumns[0]?.start ?? 0}
                  />
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
              <ErrorPanel message={errorText} onRetry={retry} retrying={query.isFetching} keptRows={rowCount} />
            ) : hasNextPage ? (
              <span>{copy.list.loadMoreHint}</span>
            ) : (
              <span>{copy.list.allLoaded(rowCount)}</span>
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
}

type VirtualRowProps<T> = {
  table: Table<T>;
  id: string;
  /** The loaded item: the same object from page to page, so rows on screen skip rendering when a page arrives. */
  original: T;
  index: number;
  start: number;
  tabbable: boolean;
  testId: string;
  label: (row: T) => string;
  dataAttributes: ((row: T) => Record<`data-${string}`, string>) | undefined;
  /** Not read here: a change of columns or of their visibility must re-render the row's cells. */
  columns: unknown;
  visibleColumnIds: string;
  /**
   * The columns to render, visible-column indexes `columnFirst`…`columnLast`, the first `columnOffset` px in;
   * plain numbers, so the memo sees a change only when the user scrolls sideways.
   */
  columnFirst: number;
  columnLast: number;
  columnOffset: number;
};

/**
 * One table row, memoized: while scrolling, only rows entering the viewport render; rows already on screen
 * keep their DOM untouched (their props change only when columns, the column window, focus or the loaded items
 * themselves change; not when a page is appended).
 */
const VirtualRow = memo(function VirtualRow<T>(props: VirtualRowProps<T>) {
  const { table, id, original, index, start, tabbable, testId, label, dataAttributes, columnFirst, columnLast, columnOffset } = props;
  // A Row for this rendered row only, so cells get TanStack's usual context; rows off screen never get one.
  const row = createRow(table, id, original, index, 0);
  const cells = row.getVisibleCells();
  return (
    <tr
      data-index={index}
      data-testid={testId}
      {...dataAttributes?.(original)}
      aria-rowindex={index + 2}
      aria-label={label(original)}
      tabIndex={tabbable ? 0 : -1}
      className="absolute left-0 flex w-full cursor-pointer border-b border-slate-100 outline-none hover:bg-slate-50 focus-visible:bg-indigo-50/70 focus-visible:shadow-[inset_3px_0_0_var(--color-indigo-500)]"
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      {columnOffset > 0 ? <td aria-hidden className="shrink-0" style={{ width: columnOffset }} /> : null}
      {cells.slice(columnFirst, columnLast + 1).map((cell, i) => {
        const meta = cell.column.columnDef.meta;
        return (
          <td
            key={cell.id}
            aria-colindex={columnFirst + i + 1}
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
}) as <T>(props: VirtualRowProps<T>) => ReactNode;

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
