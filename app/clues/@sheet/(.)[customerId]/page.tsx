import { ClueDetailView } from "@/app/clues/clue-detail";
import { ClueNotFound } from "@/app/clues/clue-not-found";
import { Sheet } from "@/components/sheet";
import { customerIdSchema } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/** `/clues/{id}` reached from the list: the detail as a sheet over the (still mounted) list. */
export default async function ClueSheet({ params }: { params: Promise<{ customerId: string }> }) {
  const { customerId } = await params;
  const valid = customerIdSchema.safeParse(customerId).success;
  return (
    <Sheet label={copy.detail.title}>
      {valid ? (
        <ClueDetailView customerId={customerId} />
      ) : (
        <div className="p-6 pr-14">
          <ClueNotFound customerId={customerId} />
        </div>
      )}
    </Sheet>
  );
}
