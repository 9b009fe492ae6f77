"use client";

import { useSyncExternalStore } from "react";
import { parseChinaWallTime } from "@/lib/china-time";
import type { ClueItem } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/**
 * The 跟进 column: "12 分钟后 · 李四" for a touched lead, "未跟进 3 小时" for one with no first touch known, amber
 * past the SLA and red past a day. Untouched leads age on screen: every cell reads one shared clock that
 * ticks every few seconds, not a timer per row.
 */

const TICK_MS = 5_000;
const DAY_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;

let now = 0;
const listeners = new Set<() => void>();
let ticker: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  now = Date.now();
  ticker ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
}

/**
 * The shared clock, in epoch ms; 0 while the server renders and the page hydrates (their clocks differ, so
 * nothing that ages is rendered until the page runs on its own).
 */
export function useTickingNow(): number {
  return useSyncExternalStore(subscribe, () => now, () => 0);
}

export type TouchState =
  | { touched: true; minutes: number; by: string }
  | { touched: false; minutes: number; level: "ok" | "pastSla" | "pastDay" };

/** Where a lead stands at `nowMs`: minutes from creation to its first touch, or minutes waited so far. */
export function touchState(item: Pick<ClueItem, "createTime" | "firstTouchAt" | "firstTouchBy">, nowMs: number, slaMinutes: number): TouchState {
  const created = parseChinaWallTime(item.createTime);
  if (item.firstTouchAt !== null) {
    return { touched: true, minutes: Math.max(0, (parseChinaWallTime(item.firstTouchAt) - created) / MINUTE_MS), by: item.firstTouchBy ?? "" };
  }
  const minutes = nowMs === 0 ? 0 : Math.max(0, (nowMs - created) / MINUTE_MS);
  return { touched: false, minutes, level: minutes > DAY_MINUTES ? "pastDay" : minutes > slaMinutes ? "pastSla" : "ok" };
}

const LEVEL_CLASSES = {
  ok: "text-slate-600",
  pastSla: "bg-amber-50 text-amber-800 ring-1 ring-amber-200",
  pastDay: "bg-red-50 text-red-700 ring-1 ring-red-200",
} as const;

export function TouchCell({ item, slaMinutes }: { item: ClueItem; slaMinutes: number }) {
  const nowMs = useTickingNow();
  const state = touchState(item, nowMs, slaMinutes);
  if (state.touched) {
    return (
      <span data-testid="touch-cell" data-touched="true" className="truncate px-1.5 text-[13px] text-slate-700" title={`${copy.touch.firstTouch} ${item.firstTouchAt}`}>
        {copy.touch.after(copy.touch.span(state.minutes), state.by)}
      </span>
    );
  }
  const waiting = nowMs === 0 ? copy.touch.untouched : copy.touch.waiting(copy.touch.span(state.minutes));
  const title = state.level === "pastDay" ? copy.touch.pastDay : state.level === "pastSla" ? copy.touch.pastSla(slaMinutes) : undefined;
  return (
    <span
      data-testid="touch-cell"
      data-touched="false"
      data-level={state.level}
      title={title}
      className={`truncate rounded px-1.5 py-0.5 text-[13px] tabular-nums ${LEVEL_CLASSES[state.level]}`}
    >
      {waiting}
    </span>
  );
}
