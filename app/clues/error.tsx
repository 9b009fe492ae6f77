"use client";

import { useEffect } from "react";
import { PageNotice } from "@/components/page-notice";
import { copy } from "@/lib/copy";

/** Last line of defence for the clue routes: never a blank screen. */
export default function CluesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.warn("clue route error", error.digest ?? error.message);
  }, [error]);
  return (
    <main className="flex min-h-0 flex-1 items-start justify-center px-4 py-16">
      <PageNotice
        tone="error"
        testId="route-error"
        title={copy.errors.pageTitle}
        hint={copy.errors.pageHint}
        action={
          <button
            type="button"
            onClick={reset}
            className="mt-2 rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
          >
            {copy.errors.reload}
          </button>
        }
      />
    </main>
  );
}
