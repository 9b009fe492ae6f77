import { ClueNotFound } from "@/app/clues/clue-not-found";

export default function ClueNotFoundPage() {
  return (
    <main className="flex min-h-0 flex-1 items-start justify-center px-4 py-16">
      <ClueNotFound />
    </main>
  );
}
