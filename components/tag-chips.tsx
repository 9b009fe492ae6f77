import type { ClueTag } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/** A fixed palette; a tag group always maps to the same entry (hash of its id), so colours are stable. */
const PALETTE = [
  "bg-sky-50 text-sky-800 ring-sky-200",
  "bg-emerald-50 text-emerald-800 ring-emerald-200",
  "bg-amber-50 text-amber-800 ring-amber-200",
  "bg-violet-50 text-violet-800 ring-violet-200",
  "bg-rose-50 text-rose-800 ring-rose-200",
  "bg-teal-50 text-teal-800 ring-teal-200",
  "bg-orange-50 text-orange-800 ring-orange-200",
  "bg-indigo-50 text-indigo-800 ring-indigo-200",
  "bg-lime-50 text-lime-800 ring-lime-200",
  "bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-200",
] as const;
const MUTED = "bg-slate-50 text-slate-500 ring-slate-200 ring-dashed";

/** FNV-1a, 32-bit: cheap, stable across sessions and browsers. */
export function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function tagGroupColor(groupId: string | null): string {
  if (groupId === null) return MUTED;
  return PALETTE[hashString(groupId) % PALETTE.length] ?? MUTED;
}

export function TagChip({ tag }: { tag: ClueTag }) {
  const known = tag.name !== null;
  return (
    <span
      data-testid="tag-chip"
      data-tag-id={tag.id}
      data-known={known ? "true" : "false"}
      title={known ? `${tag.groupName ?? ""}${tag.groupName ? " · " : ""}${tag.name}` : copy.tags.unknownTitle(tag.id)}
      className={`inline-flex h-5 max-w-[9rem] shrink-0 items-center truncate rounded px-1.5 text-[11px] leading-5 ring-1 ring-inset ${
        known ? tagGroupColor(tag.groupId) : `${MUTED} font-mono`
      }`}
    >
      <span className="truncate">{known ? tag.name : tag.id}</span>
    </span>
  );
}

/** At most `max` chips, then "+N" with the rest listed on hover. */
export function TagChips({ tags, max = 3 }: { tags: readonly ClueTag[]; max?: number }) {
  if (tags.length === 0) return <span className="text-slate-300">—</span>;
  const shown = tags.slice(0, max);
  const rest = tags.slice(max);
  return (
    <span className="flex min-w-0 items-center gap-1 overflow-hidden">
      {shown.map((t) => (
        <TagChip key={t.id} tag={t} />
      ))}
      {rest.length > 0 ? (
        <span
          data-testid="tag-more"
          title={rest.map((t) => t.name ?? t.id).join("、")}
          className="shrink-0 rounded px-1 text-[11px] text-slate-500"
        >
          {copy.tags.more(rest.length)}
        </span>
      ) : null}
    </span>
  );
}
