import Link from "next/link";
import { PageNotice } from "@/components/page-notice";
import { copy } from "@/lib/copy";

export default function NotFound() {
  return (
    <main className="flex h-dvh items-start justify-center px-4 py-24">
      <PageNotice
        title={copy.errors.notFoundTitle}
        hint={copy.errors.notFoundHint}
        action={
          <Link href="/clues" className="mt-2 text-sm text-indigo-700 hover:underline">
            {copy.errors.home}
          </Link>
        }
      />
    </main>
  );
}
