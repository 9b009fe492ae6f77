import type { Metadata } from "next";
import { Suspense } from "react";
import { ClueList } from "@/app/clues/clue-list";
import { loadClueSearchParams } from "@/app/clues/search-params";
import { chinaToday } from "@/lib/china-time";
import { copy } from "@/lib/copy";

export const metadata: Metadata = { title: copy.list.heading };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CluesPage({ searchParams }: { searchParams: SearchParams }) {
  // Parsed here so the page is rendered per request with the URL's view; the client reads the same parsers.
  await loadClueSearchParams(searchParams);
  const today = chinaToday();
  return (
    <main className="flex min-h-0 flex-1 flex-col px-4 pt-3 pb-4">
      <h1 className="sr-only">{copy.list.heading}</h1>
      <Suspense>
        <ClueList today={today} />
      </Suspense>
    </main>
  );
}
