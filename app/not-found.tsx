import Link from "next/link";
import { copy } from "@/lib/copy";

export default function NotFound() {
  return (
    <main className="flex h-dvh items-start justify-center px-4 py-24">
      <div className="flex max-w-md flex-col items-start gap-2 rounded-lg border border-slate-200 bg-white p-6">
        <h1 className="text-base font-medium text-slate-900">{copy.errors.notFoundTitle}</h1>
        <p className="text-sm text-slate-600">{copy.errors.notFoundHint}</p>
        <Link href="/clues" className="mt-2 text-sm text-indigo-700 hover:underline">
          {copy.errors.home}
        </Link>
      </div>
    </main>
  );
}
