import Link from "next/link";
import { PageNotice } from "@/components/page-notice";
import { copy } from "@/lib/copy";

/** The one "no such clue" card: the route's not-found page, the sheet, and a detail whose clue is gone. */
export function ClueNotFound({ customerId }: { customerId?: string }) {
  return (
    <PageNotice
      testId="clue-not-found"
      title={copy.detail.notFoundTitle}
      hint={customerId === undefined ? copy.detail.notFoundGeneric : copy.detail.notFoundHint(customerId)}
      action={
        <Link href="/clues" className="mt-2 text-sm text-indigo-700 hover:underline">
          {copy.detail.backToList}
        </Link>
      }
    />
  );
}
