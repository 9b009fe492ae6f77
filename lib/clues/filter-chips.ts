import { fieldLabel, dictionaryFieldForKey } from "@/lib/clues/field-labels";
import type { Dictionary } from "@/lib/clues/schema";
import { fieldParam } from "@/lib/clues/filter-grammar";
import { type ClueView, type RawClueSearchParams, viewToRaw } from "@/lib/clues/search-params";
import { copy } from "@/lib/copy";

/** How the list's active filters read and how each is taken off (pure; the chips and the filter panel share it). */

export function tagName(qwTagId: string, dictionary: Dictionary | undefined): string {
  for (const group of dictionary?.tagGroups ?? []) {
    const tag = group.tags.find((t) => t.qwTagId === qwTagId);
    if (tag) return tag.name;
  }
  return copy.tags.unknown;
}

/** A select item's label: item ids are unique across the dictionary (as normalize.ts reads them), the key's own field first. */
export function fieldItemLabel(key: string, itemId: string, dictionary: Dictionary | undefined): string {
  if (dictionary === undefined) return itemId;
  const own = dictionaryFieldForKey(key, dictionary.fields)?.items.find((i) => i.id === itemId);
  if (own) return own.name;
  for (const field of dictionary.fields) {
    const item = field.items.find((i) => i.id === itemId);
    if (item) return item.name;
  }
  return itemId;
}

export const statusLabel = (status: "clue" | "unassigned") => (status === "clue" ? copy.clueType.clue : copy.clueType.unassigned);

export const touchLabel = (touch: "untouched" | "touched") => (touch === "touched" ? copy.touch.touched : copy.touch.untouched);

export type FilterChip = { id: string; label: string; remove: Partial<RawClueSearchParams> };

/** One chip per active filter value, in the order the toolbar shows them; `remove` is the URL patch that takes it off. */
export function filterChips(view: ClueView, dictionary: Dictionary | undefined, options: { typeFixed?: boolean } = {}): FilterChip[] {
  const raw = viewToRaw(view);
  const chips: FilterChip[] = [];
  if (view.q !== undefined) chips.push({ id: "q", label: copy.desk.chipSearch(view.q), remove: { q: null } });
  if (view.type !== undefined && options.typeFixed !== true) {
    chips.push({ id: "type", label: copy.desk.chipType(view.type === 2 ? copy.clueType.company : copy.clueType.person), remove: { type: null } });
  }
  if (view.status !== undefined) chips.push({ id: "status", label: copy.desk.chipStatus(statusLabel(view.status)), remove: { status: null } });
  if (view.touch !== undefined) chips.push({ id: "touch", label: copy.desk.chipTouch(touchLabel(view.touch)), remove: { touch: null } });
  for (const tag of view.tags) {
    chips.push({ id: `tag:${tag}`, label: copy.desk.chipValue(copy.desk.tags, tagName(tag, dictionary)), remove: { tag: raw.tag.filter((t) => t !== tag) } });
  }
  for (const [key, items] of Object.entries(view.fields)) {
    for (const item of items) {
      const param = fieldParam(key, item);
      chips.push({
        id: `field:${param}`,
        label: copy.desk.chipValue(fieldLabel(key, dictionary), fieldItemLabel(key, item, dictionary)),
        remove: { field: raw.field.filter((f) => f !== param) },
      });
    }
  }
  return chips;
}

/** The URL patch of 清除筛选: every filter off, the range and the order kept. */
export const CLEAR_FILTERS: Partial<RawClueSearchParams> = { type: null, q: null, status: null, touch: null, tag: [], field: [] };
