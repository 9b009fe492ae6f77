"use client";

import { useEffect } from "react";
import { Button } from "@/components/button";
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
          <Button onClick={reset} className="mt-2">
            {copy.errors.reload}
          </Button>
        }
      />
    </main>
  );
}
