"use client";

import { type InfiniteData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { chinaToday } from "@/lib/china-time";
import { getJson } from "@/lib/clues/api-client";
import { includesToday } from "@/lib/clues/arrivals";
import { MAX_PAGE_SIZE } from "@/lib/clues/limits";
import { type ClueListFilter, clueFilterParams, clueKeys } from "@/lib/clues/query-options";
import type { ClueItem, ClueListResponse } from "@/lib/clues/schema";

/**
 * Untouched leads on screen becoming touched: while the list reaches today, it asks for the leads touched from
 * the oldest untouched one it shows on (`touch=touched`, the list's own filters, one indexed read of at most a
 * page), and writes their first touch into the rows it holds, so a 未跟进 becomes 已跟进 where the user is
 * reading; the counts are read again when one did. The touch reader finds a touch within its poll interval.
 */
const POLL_MS = 10_000;

export function useLiveTouches(filter: ClueListFilter, rows: readonly ClueItem[], ready: boolean): void {
  const queryClient = useQueryClient();
  const listKey = clueKeys.list(filter);
  const untouched = rows.filter((row) => row.firstTouchAt === null);
  const oldest = untouched.reduce<string | undefined>((min, row) => (min === undefined || row.createTime < min ? row.createTime : min), undefined);
  const live = ready && oldest !== undefined && filter.touch !== "touched" && includesToday(filter, chinaToday());
  const poll = useQuery({
    queryKey: [...clueKeys.all, "touches", listKey[2], oldest],
    queryFn: ({ signal }) => {
      const q = clueFilterParams({ ...filter, touch: "touched", order: "desc" });
      q.set("since", oldest!);
      q.set("size", String(MAX_PAGE_SIZE));
      return getJson<ClueListResponse>(`/api/clues?${q.toString()}`, signal);
    },
    enabled: live,
    refetchInterval: POLL_MS,
  });

  const found = live ? poll.data : undefined;
  const listQuery = listKey[2];
  useEffect(() => {
    if (found === undefined) return;
    const touched = new Map(found.items.map((item) => [item.customerId, item]));
    const key = [...clueKeys.lists(), listQuery] as const;
    const data = queryClient.getQueryData<InfiniteData<ClueListResponse, string | null>>(key);
    const newlyTouched = (item: ClueItem) => item.firstTouchAt === null && touched.has(item.customerId);
    if (data === undefined || !data.pages.some((page) => page.items.some(newlyTouched))) return;
    queryClient.setQueryData<InfiniteData<ClueListResponse, string | null>>(key, {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.map((item) => {
          const now = touched.get(item.customerId);
          return newlyTouched(item) && now !== undefined ? { ...item, firstTouchAt: now.firstTouchAt, firstTouchBy: now.firstTouchBy } : item;
        }),
      })),
    });
    void queryClient.invalidateQueries({ queryKey: clueKeys.facetsAll() });
  }, [found, listQuery, queryClient]);
}
