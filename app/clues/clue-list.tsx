"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { useEffect, useEffectEvent, useState } from "react";
import { ClueTable } from "@/components/clues/clue-table";
import { clueFacetsQueryOptions, clueKeys, clueListQueryOptions } from "@/lib/clues/query-options";
import { type ClueView, EMPTY_RAW_VIEW, hasFilters, type RawClueSearchParams, resolveView } from "@/lib/clues/search-params";
import { sameRawView, useUrlView } from "@/lib/clues/use-url-view";
import { DateRangePicker } from "@/components/date-range-picker";
import { TYPE_VALUES, TypeToggle } from "@/components/type-toggle";
import type { Day } from "@/lib/china-time";
import type { ClueType } from "@/lib/clues/limits";
import { copy } from "@/lib/copy";

/** `/clues`: the URL is the state (nuqs, history "replace"); the table keeps its rows under the detail sheet. */
export function ClueList({ today }: { today: Day }) {
  const pathname = usePathname();
  // While the detail sheet is open the URL is `/clues/{id}` with no query: freeze the view the list was
  // showing, so the rows and the scroll position underneath stay exactly as they were.
  const active = pathname === "/clues";
  const { current, write } = useUrlView();
  const prefetchView = usePrefetchView();
  const setUrlState = (patch: Partial<RawClueSearchParams>) => {
    // The new view's first page is requested here, in the click, rather than once React has rendered and
    // committed the new view (a skeleton over 20 columns, ~100 ms on a slow machine) and the query mounts.
    const nextView = resolveView({ ...current, ...patch }, today);
    if (nextView.ok) prefetchView(nextView.view);
    return write(patch);
  };
  // The view as it was when the sheet opened, kept by value (adjusting state while rendering, not a ref).
  const [frozen, setFrozen] = useState(current);
  if (active && !sameRawView(frozen, current)) setFrozen(current);
  const raw = active ? current : frozen;

  const result = resolveView(raw, today);
  const prefetchType = useTypePrefetch(result.ok ? result.view : undefined, prefetchView);
  // The table's own facets query (same key, one request): how many leads each type would show.
  const facets = useQuery({ ...clueFacetsQueryOptions(result.ok ? result.view : result.fallback), enabled: result.ok });
  const typeCounts = facets.data === undefined ? undefined : { all: Object.values(facets.data.type).reduce((a, b) => a + b, 0), "1": facets.data.type["1"], "2": facets.data.type["2"] };

  if (!result.ok) {
    // Never a dead end: the controls stay usable (showing the default view), with the reason above them.
    const fb = result.fallback;
    return (
      <div className="flex flex-col gap-3">
        <div className="flex items-center gap-2">
          <DateRangePicker
            value={{ since: fb.since, before: fb.before }}
            today={today}
            onChange={(r) => void setUrlState({ ...EMPTY_RAW_VIEW, since: r.since, before: r.before })}
          />
        </div>
        <div
          role="alert"
          data-testid="invalid-params"
          className="mx-auto mt-12 flex max-w-lg flex-col items-center gap-3 rounded-lg border border-amber-200 bg-amber-50 px-6 py-8 text-center"
        >
          <div className="text-sm font-medium text-amber-900">{copy.list.invalidParamsTitle}</div>
          <div className="text-sm text-amber-800">{result.reason}</div>
          <div className="text-xs text-amber-700">{copy.list.invalidParamsHint}</div>
          <button
            type="button"
            onClick={() => void setUrlState(EMPTY_RAW_VIEW)}
            className="mt-1 rounded-md border border-amber-300 bg-white px-3 py-1 text-xs font-medium text-amber-900 hover:bg-amber-100"
          >
            {copy.list.resetView}
          </button>
        </div>
      </div>
    );
  }

  const { view } = result;
  // The lead the sheet shows: the table keeps it in view, and ↑/↓ in the sheet step through the table's rows.
  const openId = active ? undefined : decodeURIComponent(pathname.slice("/clues/".length));
  return (
    <ClueTable
      filter={view}
      onViewChange={(patch) => void setUrlState(patch)}
      storageKey="clue-desk:list-columns:v1"
      active={active}
      sheetRowId={openId}
      controls={
        <>
          <DateRangePicker
            value={{ since: view.since, before: view.before }}
            today={today}
            onChange={(r) => void setUrlState({ since: r.since, before: r.before })}
          />
          <TypeToggle
            value={view.type}
            onChange={(t) => void setUrlState({ type: t === undefined ? null : String(t) })}
            onIntent={prefetchType}
            counts={typeCounts}
          />
        </>
      }
      empty={{ title: copy.list.emptyTitle, hint: hasFilters(view) ? copy.list.emptyFilteredHint : copy.list.emptyHint }}
    />
  );
}

/**
 * Starts loading a view's first page unless it is cached and fresh (the list's `staleTime`); the table's
 * query for the same key joins the request in flight.
 */
function usePrefetchView(): (view: ClueView) => void {
  const queryClient = useQueryClient();
  return (view) => void queryClient.prefetchInfiniteQuery(clueListQueryOptions(view));
}

/**
 * The first page of the view's other types, prefetched once the browser is idle and again whenever the type
 * toggle shows intent, so a type switch renders from cache: no skeleton, no round trip after the click.
 * One request per type.
 */
function useTypePrefetch(view: ClueView | undefined, prefetchView: (view: ClueView) => void): (type: ClueType | undefined) => void {
  const prefetch = (type: ClueType | undefined) => {
    if (view !== undefined) prefetchView({ ...view, type });
  };
  const prefetchOtherTypes = useEffectEvent(() => TYPE_VALUES.filter((t) => t !== view?.type).forEach(prefetch));
  // The view's value, not its identity (a new object every render), decides when to prefetch again.
  const key = view === undefined ? "" : clueKeys.list(view).join("/");
  useEffect(() => {
    if (key === "") return;
    // Idle, so the other types never compete with the view's own first render, but soon: on a busy machine the
    // browser may not be idle for seconds, and a click before the prefetch waits a whole round trip (measured
    // 300-560 ms against ~120 ms from cache). Safari has no requestIdleCallback.
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(() => prefetchOtherTypes(), { timeout: 300 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(() => prefetchOtherTypes(), 300);
    return () => clearTimeout(id);
  }, [key]);
  return prefetch;
}
