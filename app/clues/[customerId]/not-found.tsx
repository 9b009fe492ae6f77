import Link from "next/link";
import { copy } from "@/lib/copy";

export default function ClueNotFoundPage() {
  return (
    <main className="flex min-h-0 flex-1 items-start justify-center px-4 py-16">
      <div
        data-testid="clue-not-found"
        role="alert"
        className="flex max-w-md flex-col items-start gap-2 rounded-lg border border-slate-200 bg-white p-6 shadow-xs"
      >
        <h1 className="text-base font-medium text-slate-900">{copy.detail.notFoundTitle}</h1>
        <p className="text-sm text-slate-600">{copy.detail.notFoundGeneric}</p>
        <Link href="/clues" className="mt-2 text-sm text-indigo-700 hover:underline">
          {copy.detail.backToList}
        </Link>
      </div>
    </main>
  );
}
