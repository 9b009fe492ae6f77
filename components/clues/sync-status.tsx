"use client";

import { useSyncExternalStore } from "react";
import { Button } from "@/components/button";
import type { SyncState } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/** "12 秒前", "3 分钟前": how long ago an instant was, in the coarsest unit that still says it. */
export function agoText(fromIso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return copy.desk.secondsAgo(seconds);
  if (seconds < 3600) return copy.desk.minutesAgo(Math.floor(seconds / 60));
  if (seconds < 86_400) return copy.desk.hoursAgo(Math.floor(seconds / 3600));
  return copy.desk.daysAgo(Math.floor(seconds / 86_400));
}

/** One clock for every "N 秒前" on the page, ticking once a second while anything shows one. */
const clock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  subscribe(listener: () => void) {
    clock.listeners.add(listener);
    clock.now = Date.now();
    clock.timer ??= setInterval(() => {
      clock.now = Date.now();
      clock.listeners.forEach((l) => l());
    }, 1000);
    return () => {
      clock.listeners.delete(listener);
      if (clock.listeners.size === 0) {
        clearInterval(clock.timer);
        clock.timer = undefined;
      }
    };
  },
};

/**
 * The current time, ticking every second; null while the server renders and the page hydrates, so the
 * relative time is never a text the server and the browser disagree on.
 */
export function useNow(): number | null {
  return useSyncExternalStore(
    clock.subscribe,
    () => clock.now,
    () => null,
  );
}

/** "数据更新于 12 秒前" and the 刷新 button (walks the range again, then reloads the list and counts). */
export function SyncStatus(props: { sync: SyncState | undefined; onRefresh: () => void; refreshing: boolean; refreshError: string | null }) {
  const { sync, onRefresh, refreshing, refreshError } = props;
  const now = useNow();
  return (
    <span className="inline-flex items-center gap-2 text-xs text-slate-500">
      {refreshError === null ? null : (
        <span role="alert" data-testid="refresh-error" className="text-rose-700">
          {copy.desk.refreshFailed(refreshError)}
        </span>
      )}
      <span data-testid="sync-age" className="tabular-nums" title={sync?.syncedAt ?? undefined}>
        {sync === undefined || now === null ? null : sync.syncedAt === null ? copy.desk.notSyncedYet : copy.desk.updatedAgo(agoText(sync.syncedAt, now))}
      </span>
      <Button size="sm" data-testid="refresh-button" onClick={onRefresh} disabled={refreshing} className="inline-flex items-center gap-1">
        <svg aria-hidden viewBox="0 0 20 20" className={`size-3.5 ${refreshing ? "animate-spin" : ""}`} fill="none" stroke="currentColor" strokeWidth="1.8">
          <path d="M16 10a6 6 0 1 1-1.8-4.3M16 4v3.5h-3.5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {refreshing ? copy.desk.refreshing : copy.desk.refresh}
      </Button>
    </span>
  );
}
