"use client";

import { useEffect, useState } from "react";
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

/** The current time, ticking every second while mounted (the "N 秒前" text follows it). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
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
      {/* The age ticks between the server's render and hydration: a different second is not a mismatch (React #418). */}
      <span data-testid="sync-age" className="tabular-nums" title={sync?.syncedAt ?? undefined} suppressHydrationWarning>
        {sync === undefined ? null : sync.syncedAt === null ? copy.desk.notSyncedYet : copy.desk.updatedAgo(agoText(sync.syncedAt, now))}
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

/**
 * What the list says above its rows about the store's copy: a progress bar while a range's days are first
 * walked, or a notice (not an error) when Tanma could not be reached and the rows are from an older copy.
 */
export function SyncNotice({ sync }: { sync: SyncState | undefined }) {
  const now = useNow();
  if (sync === undefined) return null;
  if (sync.pendingDays > 0 && !sync.stale) {
    const done = sync.days - sync.pendingDays;
    return (
      <div data-testid="sync-progress" role="status" className="mb-2 flex items-center gap-3 rounded-md border border-indigo-100 bg-indigo-50/60 px-3 py-2 text-xs text-indigo-900">
        <span className="font-medium whitespace-nowrap tabular-nums">{copy.desk.syncing(done, sync.days)}</span>
        <span className="h-1.5 w-48 overflow-hidden rounded-full bg-indigo-100" aria-hidden>
          <span className="block h-full rounded-full bg-indigo-500 transition-[width] duration-500" style={{ width: `${(done / Math.max(1, sync.days)) * 100}%` }} />
        </span>
        <span className="text-indigo-700">{copy.desk.syncingHint}</span>
      </div>
    );
  }
  if (!sync.stale) return null;
  return (
    <div data-testid="stale-notice" role="status" className="mb-2 flex flex-wrap items-baseline gap-x-2 gap-y-0.5 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900">
      <span className="font-medium">{copy.desk.staleTitle}</span>
      {sync.syncedAt === null ? null : <span suppressHydrationWarning>{copy.desk.staleBody(agoText(sync.syncedAt, now))}</span>}
      {sync.reason === undefined ? null : <span className="text-amber-700">{copy.desk.staleReason(sync.reason)}</span>}
    </div>
  );
}
