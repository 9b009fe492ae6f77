"use client";

import { agoText, useNow } from "@/components/clues/sync-status";
import type { SyncState } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/**
 * What the list says above its rows about the store's copy: a progress bar while a range's days are first
 * walked, or a notice (not an error) when Tanma could not be reached and the rows are from an older copy.
 */
export default function SyncNotice({ sync }: { sync: SyncState }) {
  const now = useNow();
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
      <span className="font-medium">{copy.desk.staleTitle[sync.reason?.kind ?? "unreachable"]}</span>
      {sync.syncedAt === null || now === null ? null : <span>{copy.desk.staleBody(agoText(sync.syncedAt, now))}</span>}
      {sync.reason?.code === undefined ? null : (
        <small data-testid="stale-code" className="text-[11px] text-amber-700/80 tabular-nums">
          {copy.desk.staleCode(sync.reason.code)}
        </small>
      )}
    </div>
  );
}
