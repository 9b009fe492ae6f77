"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/button";
import { copy } from "@/lib/copy";

/** The slice of a TanStack infinite query the status reads. */
export type TableQueryState = {
  status: "pending" | "error" | "success";
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
};

/**
 * What an infinite table shows besides its rows. `body`: placeholder rows while the first rows are on their
 * way (also while empty pages with a cursor are skipped), else the rows. `below`: the first page's error or
 * the empty state in place of rows, else the footer line: loading, the next page's error (rows kept), more
 * on scroll, or all loaded.
 */
export type TableStatus = {
  body: "skeleton" | "rows";
  below: "error" | "empty" | "loading" | "next-page-error" | "more" | "all";
};

export function tableStatus(query: TableQueryState, rowCount: number): TableStatus {
  const { status, hasNextPage, isFetchingNextPage } = query;
  const firstLoad = status === "pending" || (status === "success" && rowCount === 0 && hasNextPage);
  const body = firstLoad ? "skeleton" : "rows";
  if (status === "error" && rowCount === 0) return { body, below: "error" };
  if (status === "success" && rowCount === 0 && !hasNextPage) return { body, below: "empty" };
  if (firstLoad || isFetchingNextPage) return { body, below: "loading" };
  if (status === "error") return { body, below: "next-page-error" };
  return { body, below: hasNextPage ? "more" : "all" };
}

/** The part of the table below its rows, for a `tableStatus`. */
export function TableStatusView(props: {
  status: TableStatus;
  rowCount: number;
  errorMessage: string;
  onRetry: () => void;
  retrying: boolean;
  emptyState: ReactNode;
}) {
  const { status, rowCount, errorMessage, onRetry, retrying, emptyState } = props;
  switch (status.below) {
    case "error":
      return (
        <div role="alert" data-testid="error-state" className="sticky left-0 flex w-full flex-col items-center gap-3 px-6 py-12 text-center">
          <div className="text-sm font-medium text-slate-800">{copy.list.errorTitle}</div>
          <div className="text-sm break-all text-rose-700" data-testid="error-message">
            {errorMessage}
          </div>
          <RetryButton onRetry={onRetry} retrying={retrying} />
        </div>
      );
    case "empty":
      return (
        <div data-testid="empty-state" className="sticky left-0 flex w-full justify-center py-16">
          {emptyState}
        </div>
      );
    default:
      return (
        <div
          data-testid="table-footer"
          aria-live="polite"
          className="sticky left-0 flex h-12 w-full items-center justify-center gap-3 text-xs text-slate-500"
        >
          {status.below === "loading" ? (
            <span className="inline-flex items-center gap-2">
              <span
                aria-hidden
                className="inline-block size-3.5 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-500"
              />
              {copy.list.loading}
            </span>
          ) : status.below === "next-page-error" ? (
            <div role="alert" data-testid="error-state" className="flex items-center gap-3">
              <span className="text-rose-700" data-testid="error-message">
                {copy.list.errorFooter}：{errorMessage}
                {rowCount > 0 ? <span className="ml-1 text-slate-500">{copy.list.keptRows(rowCount)}</span> : null}
              </span>
              <RetryButton onRetry={onRetry} retrying={retrying} />
            </div>
          ) : status.below === "more" ? (
            <span>{copy.list.loadMoreHint}</span>
          ) : (
            <span>{copy.list.allLoaded(rowCount)}</span>
          )}
        </div>
      );
  }
}

function RetryButton({ onRetry, retrying }: { onRetry: () => void; retrying: boolean }) {
  return (
    <Button data-testid="retry-button" onClick={onRetry} disabled={retrying}>
      {retrying ? copy.list.retrying : copy.list.retry}
    </Button>
  );
}
