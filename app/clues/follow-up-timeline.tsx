"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/button";
import { errorMessage } from "@/lib/clues/api-client";
import { followUpsQueryOptions } from "@/lib/clues/query-options";
import { copy } from "@/lib/copy";

/** A clue's follow-ups, newest page first, one more page per click. */
export function FollowUpTimeline({ customerId }: { customerId: string }) {
  const q = useInfiniteQuery(followUpsQueryOptions(customerId));
  if (q.status === "pending") {
    return (
      <div className="flex flex-col gap-2" aria-busy>
        <span className="skeleton h-4 w-2/3" />
        <span className="skeleton h-4 w-1/2" />
      </div>
    );
  }
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      {items.length === 0 && !q.isError ? <div className="text-[13px] text-slate-400">{copy.detail.noFollowUps}</div> : null}
      <ol className="relative ml-1.5 border-l border-slate-200">
        {items.map((f) => (
          <li key={f.id} data-testid="follow-up-item" className="relative pb-4 pl-4 last:pb-1">
            <span aria-hidden className="absolute top-1.5 -left-[4.5px] size-2 rounded-full bg-indigo-400 ring-2 ring-white" />
            <div className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-500">
              <time className="tabular-nums">{f.createTime}</time>
              <span>{f.operator?.name ?? copy.detail.operatorUnknown}</span>
            </div>
            <p className="mt-0.5 text-[13px] whitespace-pre-wrap text-slate-800">{f.content}</p>
          </li>
        ))}
      </ol>
      {q.isError ? (
        <div role="alert" className="mt-2 flex items-center gap-2 text-xs text-rose-700">
          {copy.detail.followUpsError}：{errorMessage(q.error)}
          <Button size="sm" onClick={() => void (q.isFetchNextPageError ? q.fetchNextPage() : q.refetch())}>
            {copy.list.retry}
          </Button>
        </div>
      ) : q.hasNextPage ? (
        <Button data-testid="follow-ups-more" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} className="mt-2">
          {q.isFetchingNextPage ? copy.detail.loadingMore : copy.detail.loadMore}
        </Button>
      ) : null}
    </div>
  );
}
