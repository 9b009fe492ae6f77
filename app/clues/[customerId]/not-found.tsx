import Link from "next/link";
import { PageNotice } from "@/components/page-notice";
import { copy } from "@/lib/copy";

export default function ClueNotFoundPage() {
  return (
    <main className="flex min-h-0 flex-1 items-start justify-center px-4 py-16">
      <PageNotice
        testId="clue-not-found"
        title={copy.detail.notFoundTitle}
        hint={copy.detail.notFoundGeneric}
        action={
          <Link href="/clues" className="mt-2 text-sm text-indigo-700 hover:underline">
            {copy.detail.backToList}
          </Link>
        }
      />
    </main>
  );
}
