"use client";

import { type InfiniteData, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { getJson } from "@/lib/clues/api-client";
import { includesToday, newArrivals, titleWithCount } from "@/lib/clues/arrivals";
import { type ClueListFilter, clueFilterParams, clueKeys } from "@/lib/clues/query-options";
import type { ClueItem, ClueListResponse } from "@/lib/clues/schema";
import { chinaToday } from "@/lib/china-time";
import { copy } from "@/lib/copy";
import { MAX_PAGE_SIZE } from "@/lib/clues/limits";

/**
 * How often a list that reaches today asks for leads newer than its newest. The store takes a new lead in
 * within its live interval (15 s); the pill's budget is that plus 2 s, so the poll comes at most 2 s later. A
 * poll is one indexed read of the few leads from the newest shown on.
 */
const POLL_MS = 2_000;

/**
 * The leads that arrived after the newest one a newest-first list shows: `GET /api/clues` with the list's own
 * filters, oldest first, from the newest shown create time on (inclusive: a lead of the same second counts),
 * minus the ids already shown. The list's own query and filter code decide what matches, so a search or a
 * tag filter announces only the leads it would show; the answer carries them, so showing them needs no
 * further request; its `total` counts them when more than a page came. Only while the view reaches today
 * and the tab is visible (TanStack Query pauses intervals in a hidden tab).
 */
export function useLiveArrivals(filter: ClueListFilter, rows: readonly ClueItem[], ready: boolean) {
  const queryClient = useQueryClient();
  const newest = rows[0]?.createTime ?? filter.since;
  const live = ready && filter.order === "desc" && includesToday(filter, chinaToday());
  const listKey = clueKeys.list(filter);
  const poll = useQuery({
    queryKey: [...clueKeys.all, "arrivals", listKey[2], newest],
    queryFn: ({ signal }) => {
      const q = clueFilterParams({ ...filter, order: "asc" });
      q.set("since", newest);
      q.set("size", String(MAX_PAGE_SIZE));
      return getJson<ClueListResponse>(`/api/clues?${q.toString()}`, signal);
    },
    enabled: live,
    refetchInterval: POLL_MS,
    select: (found) => newArrivals(found, new Set(rows.map((r) => r.customerId))),
  });
  const arrivals = live ? poll.data : undefined;
  const count = arrivals?.count ?? 0;

  /**
   * Puts the new leads on top of the first page (newest first); the table keeps what the user was reading in
   * place. More than a page of them: the list is read again from the top.
   */
  const show = () => {
    if (arrivals === undefined || count === 0) return;
    if (arrivals.items.length < count) {
      void queryClient.resetQueries({ queryKey: listKey });
    } else {
      const newestFirst = [...arrivals.items].reverse();
      queryClient.setQueryData<InfiniteData<ClueListResponse, string | null>>(listKey, (data) =>
        data === undefined
          ? data
          : {
              ...data,
              pages: data.pages.map((page, i) => ({
                ...page,
                items: i === 0 ? [...newestFirst, ...page.items] : page.items,
                total: page.total + newestFirst.length,
              })),
            },
      );
    }
    // Counts and the chart include them too.
    void queryClient.invalidateQueries({ queryKey: clueKeys.facetsAll() });
  };

  useTabTitleCount(count);
  return { count, show };
}

/** The count of new leads in front of the tab's title while there are any: "(3) 新线索 · 线索台". */
function useTabTitleCount(count: number) {
  // Next.js sets the title again on navigation (the sheet's own title): count it in there too.
  const pathname = usePathname();
  useEffect(() => {
    if (count === 0) return;
    document.title = titleWithCount(count, document.title);
    return () => {
      document.title = titleWithCount(0, document.title);
    };
  }, [count, pathname]);
}

/** The pill over the top of the table that announces new leads; a click shows them. */
export function NewArrivalsPill({ count, onShow }: { count: number; onShow: () => void }) {
  if (count === 0) return null;
  return (
    <div className="pointer-events-none absolute inset-x-0 top-11 z-20 flex justify-center">
      <button
        type="button"
        data-testid="new-arrivals-pill"
        onClick={onShow}
        title={copy.live.pillHint}
        className="pointer-events-auto inline-flex items-center gap-1.5 rounded-full bg-indigo-600 px-3.5 py-1.5 text-xs font-medium text-white shadow-lg shadow-indigo-900/20 hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        <svg aria-hidden viewBox="0 0 16 16" className="size-3.5 fill-none stroke-current" strokeWidth="1.8">
          <path d="M8 13V3M3.5 7.5 8 3l4.5 4.5" />
        </svg>
        <span aria-live="polite">{copy.live.pill(count)}</span>
      </button>
    </div>
  );
}
