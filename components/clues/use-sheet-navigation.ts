"use client";

import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useRef } from "react";
import type { ClueItem, ClueListResponse } from "@/lib/clues/schema";

/** The keys that move through the list from the detail sheet, and which way. */
const STEPS: Record<string, 1 | -1> = { ArrowDown: 1, j: 1, J: 1, ArrowUp: -1, k: -1, K: -1 };

/** Keys typed into a field keep their meaning. */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/**
 * While the detail sheet shows a lead of the table (`openId`), ↑/↓ and K/J open the previous/next lead of the
 * table in the same sheet, in the table's order, loading its next page when the sheet is at the last loaded
 * lead. The URL is replaced, not pushed, so closing the sheet (history back) still returns to the list. The
 * table follows by itself: its selected row is the open lead.
 */
export function useSheetNavigation(options: {
  rows: readonly ClueItem[];
  openId: string | undefined;
  hasNextPage: boolean;
  fetchNextPage: () => Promise<{ data?: { pages: ClueListResponse[] } }>;
}) {
  const { openId } = options;
  const router = useRouter();
  // One move at a time: a key held down while the next page loads does not skip leads.
  const moving = useRef(false);
  // The leads asked for since the sheet last showed a lead it was not asked to: keys pressed faster than the
  // router answers keep stepping from the last one asked for, whichever of them the URL shows meanwhile.
  const steps = useRef<{ asked: Set<string>; last: string } | null>(null);

  const move = useEffectEvent(async (step: 1 | -1) => {
    const { rows, hasNextPage, fetchNextPage } = options;
    if (openId === undefined || moving.current) return;
    if (steps.current === null || !steps.current.asked.has(openId)) steps.current = { asked: new Set([openId]), last: openId };
    const current = steps.current.last;
    const index = rows.findIndex((c) => c.customerId === current);
    if (index === -1) return;
    let target = rows[index + step];
    if (target === undefined && step === 1 && hasNextPage) {
      moving.current = true;
      try {
        const next = await fetchNextPage();
        target = next.data?.pages.flatMap((p) => p.items)[index + 1];
      } finally {
        moving.current = false;
      }
    }
    if (target === undefined || steps.current === null) return;
    steps.current.asked.add(target.customerId);
    steps.current.last = target.customerId;
    router.replace(`/clues/${target.customerId}`, { scroll: false });
  });

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    const step = STEPS[event.key];
    if (step === undefined || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    event.preventDefault();
    void move(step);
  });

  const open = openId !== undefined;
  useEffect(() => {
    if (!open) return;
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener("keydown", listener);
    return () => {
      document.removeEventListener("keydown", listener);
      steps.current = null;
    };
  }, [open]);
}
