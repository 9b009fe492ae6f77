import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { PageNotice } from "@/components/page-notice";
import { copy } from "@/lib/copy";

/** What `forbidden()` renders, with HTTP 403: so far only the audit log calls it, for anyone not an admin. */
export default function Forbidden() {
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader />
      <main className="flex flex-1 items-start justify-center px-4 py-24">
        <PageNotice
          testId="forbidden"
          title={copy.audit.forbiddenTitle}
          hint={copy.audit.forbiddenHint}
          action={
            <Link href="/clues" className="mt-2 text-sm text-indigo-700 hover:underline">
              {copy.errors.home}
            </Link>
          }
        />
      </main>
    </div>
  );
}
