import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ClueDetailView } from "@/app/clues/clue-detail";
import { pageCaller } from "@/lib/api/request-user";
import { clueDisplayName } from "@/lib/clues/display";
import { type ClueDetail, customerIdSchema } from "@/lib/clues/schema";
import { getClueDetail } from "@/lib/clues/service";
import { copy } from "@/lib/copy";
import { TanmaError } from "@/lib/tanma/errors";

type Props = { params: Promise<{ customerId: string }> };

/**
 * The clue, loaded once per page view: the metadata and the page both ask, and React's `cache` (scoped to
 * this request's render) answers the second from the first, so a view costs one Tanma `clue/get`.
 * `"not-found"` for an id that is not one or a clue Tanma does not have; `null` when Tanma could not answer
 * (the client then shows the error and a retry).
 */
const loadClue = cache(async (customerId: string): Promise<ClueDetail | "not-found" | null> => {
  if (!customerIdSchema.safeParse(customerId).success) return "not-found";
  try {
    return await getClueDetail(customerId, await pageCaller());
  } catch (error) {
    return TanmaError.is(error) && error.kind === "notFound" ? "not-found" : null;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const clue = await loadClue((await params).customerId);
  if (clue === "not-found") return { title: copy.detail.notFoundTitle };
  return { title: clue === null ? copy.detail.title : clueDisplayName(clue) };
}

/** `/clues/{id}` opened directly (link, reload): the same detail as a full page. */
export default async function CluePage({ params }: Props) {
  const { customerId } = await params;
  const clue = await loadClue(customerId);
  if (clue === "not-found") notFound();
  return (
    <main className="quiet-scroll min-h-0 flex-1 overflow-y-auto">
      <div className="mx-auto max-w-3xl px-4 py-4">
        <Link href="/clues" className="text-[13px] text-indigo-700 hover:underline" data-testid="back-to-list">
          ← {copy.detail.backToList}
        </Link>
        <div className="mt-3 rounded-lg border border-slate-200 bg-white shadow-xs">
          <ClueDetailView customerId={customerId} {...(clue ? { initialData: clue } : {})} />
        </div>
      </div>
    </main>
  );
}
