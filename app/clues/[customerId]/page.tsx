import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ClueDetailView } from "@/app/clues/clue-detail";
import { clueDisplayName } from "@/app/clues/columns";
import { pageCaller } from "@/lib/api/request-user";
import { type ClueDetail, customerIdSchema } from "@/lib/clues/schema";
import { getClueDetail } from "@/lib/clues/service";
import { copy } from "@/lib/copy";
import { TanmaError } from "@/lib/tanma/errors";

type Props = { params: Promise<{ customerId: string }> };

/** Loads the clue on the server; `null` when Tanma could not answer (the client shows the error and a retry). */
async function load(customerId: string): Promise<ClueDetail | null> {
  if (!customerIdSchema.safeParse(customerId).success) notFound();
  try {
    return await getClueDetail(customerId, await pageCaller());
  } catch (error) {
    if (error instanceof TanmaError && error.kind === "notFound") notFound();
    return null;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { customerId } = await params;
  if (!customerIdSchema.safeParse(customerId).success) return { title: copy.detail.notFoundTitle };
  try {
    return { title: clueDisplayName(await getClueDetail(customerId, await pageCaller())) };
  } catch {
    return { title: copy.detail.title };
  }
}

/** `/clues/{id}` opened directly (link, reload): the same detail as a full page. */
export default async function CluePage({ params }: Props) {
  const { customerId } = await params;
  const clue = await load(customerId);
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
