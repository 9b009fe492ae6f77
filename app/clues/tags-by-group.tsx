import { TagChip } from "@/components/tag-chips";
import type { ClueTag } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/** A clue's tags under their groups' names; tags the tag tree does not know go under 未知标签. */
export function TagsByGroup({ tags }: { tags: readonly ClueTag[] }) {
  if (tags.length === 0) return <div className="text-[13px] text-slate-400">{copy.detail.noTags}</div>;
  const groups = new Map<string, { name: string; tags: ClueTag[] }>();
  for (const t of tags) {
    const key = t.name === null ? "\u0000unknown" : (t.groupId ?? "\u0000none");
    const name = t.name === null ? copy.tags.unknown : (t.groupName ?? copy.tags.unknown);
    const g = groups.get(key) ?? { name, tags: [] };
    g.tags.push(t);
    groups.set(key, g);
  }
  return (
    <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-2 text-[13px]">
      {[...groups].map(([key, g]) => (
        <div key={key} className="contents">
          <dt className="truncate text-slate-500">{g.name}</dt>
          <dd className="flex flex-wrap gap-1">
            {g.tags.map((t) => (
              <TagChip key={t.id} tag={t} />
            ))}
          </dd>
        </div>
      ))}
    </dl>
  );
}
