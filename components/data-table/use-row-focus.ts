"use client";

import { type FocusEvent, type KeyboardEvent, type MouseEvent, type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/**
 * Roving row focus for a virtualized grid whose rows are `tr[data-index]` of a fixed height below a sticky
 * header: exactly one row is tabbable; arrows, Page Up/Down, Home and End move it and keep it scrolled into
 * view; Enter, Space or a click open the row. Handlers are delegated (one for all rows), so memoized rows
 * take no per-render closures. When the grid becomes `active` again (a sheet over it closed), focus goes back
 * to the row it came from. While inactive, `selectedIndex` (the row a sheet over the grid shows) moves that
 * row along: it is scrolled into view and becomes the row focus returns to.
 */
export function useRowFocus<T>(options: {
  scrollRef: RefObject<HTMLElement | null>;
  rows: readonly T[];
  rowHeight: number;
  onOpenRow: (row: T) => void;
  active: boolean;
  selectedIndex?: number;
}) {
  const { scrollRef, rows, rowHeight, onOpenRow, active, selectedIndex } = options;
  const rowCount = rows.length;
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const tabbableIndex = Math.min(focusIndex, Math.max(rowCount - 1, 0));

  // Rows have a fixed height and sit below the sticky header, so the scroll offset that shows a row is
  // exact arithmetic (the virtualizer's scrollToIndex does not know about the header above its items).
  const scrollRowIntoView = useCallback(
    (index: number) => {
      const scroller = scrollRef.current;
      if (!scroller) return;
      const header = scroller.querySelector("thead")?.getBoundingClientRect().height ?? rowHeight;
      const top = index * rowHeight;
      const visible = scroller.clientHeight - header;
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + rowHeight > scroller.scrollTop + visible) scroller.scrollTop = top + rowHeight - visible;
    },
    [rowHeight, scrollRef],
  );

  const focusRow = useCallback(
    (index: number) => {
      const clamped = Math.max(0, Math.min(index, rowCount - 1));
      setFocusIndex(clamped);
      pendingFocus.current = clamped;
      scrollRowIntoView(clamped);
    },
    [rowCount, scrollRowIntoView],
  );

  // The row a sheet over the grid shows: it becomes the tabbable row (adjusted while rendering) and is
  // scrolled into view (an effect: it touches the DOM). No DOM focus while the sheet holds it.
  const [followed, setFollowed] = useState<number | undefined>(undefined);
  const follow = !active && selectedIndex !== undefined && selectedIndex >= 0 ? selectedIndex : undefined;
  if (follow !== followed) {
    setFollowed(follow);
    if (follow !== undefined) setFocusIndex(follow);
  }
  useEffect(() => {
    if (follow !== undefined) scrollRowIntoView(follow);
  }, [follow, scrollRowIntoView]);

  // Focus a row once the virtualizer has rendered it (it may need a frame after scrolling there).
  useLayoutEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });

  const wasActive = useRef(active);
  useEffect(() => {
    if (active && !wasActive.current && rowCount > 0) {
      scrollRef.current?.querySelector<HTMLElement>(`[data-index="${tabbableIndex}"]`)?.focus({ preventScroll: true });
    }
    wasActive.current = active;
  }, [active, rowCount, tabbableIndex, scrollRef]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const rowEl = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
    if (!rowEl || rowEl !== event.target) return; // keys inside links etc. keep their own meaning
    // A key pressed before the previous move's row rendered continues from where focus is going.
    const index = pendingFocus.current ?? Number(rowEl.dataset.index);
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
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
      const row = rows[index];
      if (row !== undefined) onOpenRow(row);
    }
  };

  const rowIndexOf = (target: EventTarget) => {
    const rowEl = (target as HTMLElement).closest<HTMLElement>("tr[data-index]");
    return rowEl ? Number(rowEl.dataset.index) : undefined;
  };
  const onClick = (event: MouseEvent<HTMLElement>) => {
    if ((event.target as HTMLElement).closest("a,button")) return;
    const index = rowIndexOf(event.target);
    const row = index === undefined ? undefined : rows[index];
    if (index === undefined || row === undefined) return;
    setFocusIndex(index);
    onOpenRow(row);
  };
  const onFocus = (event: FocusEvent<HTMLElement>) => {
    // While a sheet covers the grid, the row it shows is the one focus returns to, whatever row a sheet
    // closing over it hands focus back to in passing (one sheet per lead when stepping through them).
    if (!active || !(event.target as HTMLElement).matches("tr[data-index]")) return;
    const index = rowIndexOf(event.target);
    if (index !== undefined && index !== focusIndex) setFocusIndex(index);
  };

  return { tabbableIndex, followedIndex: follow, handlers: { onKeyDown, onClick, onFocus } };
}
