import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { ClueList } from "@/app/clues/clue-list";
import { prefetchClueList } from "@/app/clues/prefetch";
import { loadClueSearchParams, resolveView } from "@/lib/clues/search-params";
import { chinaToday } from "@/lib/china-time";
import { copy } from "@/lib/copy";

export const metadata: Metadata = { title: copy.list.heading };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CluesPage({ searchParams }: { searchParams: SearchParams }) {
  // Parsed with the client's own parsers and rules, so the prefetched page is the one the client asks for.
  const today = chinaToday();
  const resolved = resolveView(await loadClueSearchParams(searchParams), today);
  const prefetched = resolved.ok ? await prefetchClueList(resolved.view) : undefined;
  return (
    <main className="flex min-h-0 flex-1 flex-col px-4 pt-3 pb-4">
      <h1 className="sr-only">{copy.list.heading}</h1>
      <HydrationBoundary state={prefetched}>
        <Suspense>
          <ClueList today={today} />
        </Suspense>
      </HydrationBoundary>
    </main>
  );
}
