"use client";

import "@/components/data-table/column-meta";
import { type Column, createRow, flexRender, type Table } from "@tanstack/react-table";
import { observeElementOffset, useVirtualizer } from "@tanstack/react-virtual";
import { memo, type ReactNode, type RefObject, useCallback, useMemo } from "react";

/**
 * The two-axis virtual grid under the infinite table: a CSS grid/flex layout (so the header stays sticky while
 * rows are absolutely positioned), column widths as CSS variables, and a bounded number of DOM rows and of
 * body cells per row (both axes virtualized over the same scroll container).
 */

export const ROW_HEIGHT = 36;
/** Rows rendered beyond the viewport on each side; with a ~900px viewport the DOM holds ≈ 25 + 2×12 rows. */
const OVERSCAN = 12;
/**
 * Columns rendered beyond the viewport on each side. Clue tables carry 20+ field columns, most of them to
 * the right of a 1280px window; rendering only the ones in view halves the DOM a scrolled row costs.
 */
const COLUMN_OVERSCAN = 2;
const SKELETON_ROWS = 12;
/**
 * The viewport assumed before the browser has measured one, so the server already renders the first
 * screenful of rows and they paint before hydration.
 */
const INITIAL_RECT = { width: 1280, height: 900 };

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

export const cssVarName = (columnId: string) => `--col-${columnId.replace(/[^a-zA-Z0-9_-]/g, "_")}`;

/** The row and column virtualizers of a grid over `rows` and the visible columns. */
export function useVirtualGrid<T>(options: {
  scrollRef: RefObject<HTMLElement | null>;
  rows: readonly T[];
  getRowId: (row: T) => string;
  visibleColumns: readonly Column<T, unknown>[];
}) {
  const { scrollRef, rows, getRowId, visibleColumns } = options;
  // Stable between pages: the virtualizer recomputes every item's offset whenever this function changes.
  const getItemKey = useCallback(
    (index: number) => {
      const item = rows[index];
      return item === undefined ? index : getRowId(item);
    },
    [rows, getRowId],
  );
  const rowVirtualizer = useVirtualizer({
    count: rows.length,
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

  // Keyed by the id list, the identity of the column set: a new list means new widths to measure.
  const columnIdList = visibleColumns.map((c) => c.id).join("\n");
  const columnIds = useMemo(() => columnIdList.split("\n"), [columnIdList]);
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

  return { rowVirtualizer, columnVirtualizer, columnIdList };
}

/** The sticky header row: every visible column (headers are not virtualized, so every column stays findable). */
export function GridHeader<T>({ table }: { table: Table<T> }) {
  return (
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
  );
}

/** Placeholder rows while the first rows are on their way. */
export function SkeletonBody<T>({ columns, testId }: { columns: readonly Column<T, unknown>[]; testId: string }) {
  return (
    <tbody className="grid" aria-busy data-testid={testId}>
      {Array.from({ length: SKELETON_ROWS }, (_, i) => (
        <tr key={i} className="flex w-full border-b border-slate-100" style={{ height: ROW_HEIGHT }}>
          {columns.map((col) => (
            <td key={col.id} className="flex shrink-0 items-center px-3" style={{ width: `var(${cssVarName(col.id)})` }}>
              <span className="skeleton h-3" style={{ width: `${45 + ((i * 7 + col.getIndex() * 13) % 45)}%` }} />
            </td>
          ))}
        </tr>
      ))}
    </tbody>
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
  /** The row a sheet over the table shows. */
  selected: boolean;
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
export const VirtualRow = memo(function VirtualRow<T>(props: VirtualRowProps<T>) {
  const { table, id, original, index, start, tabbable, selected, testId, label, dataAttributes, columnFirst, columnLast, columnOffset } = props;
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
      aria-selected={selected || undefined}
      className="absolute left-0 flex w-full cursor-pointer border-b border-slate-100 outline-none hover:bg-slate-50 focus-visible:bg-indigo-50/70 focus-visible:shadow-[inset_3px_0_0_var(--color-indigo-500)] aria-selected:bg-indigo-50/70 aria-selected:shadow-[inset_3px_0_0_var(--color-indigo-500)]"
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
