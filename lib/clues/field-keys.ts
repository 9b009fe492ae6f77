import { SYSTEM_FIELD_LABELS } from "@/lib/clues/field-labels";
import type { ClueItem, Page } from "@/lib/clues/schema";

/** A field key of the loaded clues, with the type first seen for it: one table column each. */
export type FieldKeyInfo = { key: string; type: number };

const pageKeyCache = new WeakMap<Page<ClueItem>, FieldKeyInfo[]>();

/**
 * The field keys present in the loaded pages. Each page is scanned once (cached by page object), so a new page
 * costs one page of work. Order: the built-in keys in a fixed order, then other keys as first seen — a key
 * first seen on page 5 appends a column and moves nothing the user was looking at.
 */
export function collectFieldKeys(pages: readonly Page<ClueItem>[]): FieldKeyInfo[] {
  const seen = new Map<string, number>();
  for (const page of pages) {
    let keys = pageKeyCache.get(page);
    if (keys === undefined) {
      const local = new Map<string, number>();
      for (const item of page.items) for (const f of item.fields) if (!local.has(f.key)) local.set(f.key, f.type);
      keys = [...local].map(([key, type]) => ({ key, type }));
      pageKeyCache.set(page, keys);
    }
    for (const k of keys) if (!seen.has(k.key)) seen.set(k.key, k.type);
  }
  const system = Object.keys(SYSTEM_FIELD_LABELS);
  const rank = (key: string) => {
    const i = system.indexOf(key);
    return i === -1 ? system.length : i;
  };
  const ordered = [...seen].map(([key, type], firstSeen) => ({ key, type, firstSeen }));
  ordered.sort((a, b) => rank(a.key) - rank(b.key) || a.firstSeen - b.firstSeen);
  return ordered.map(({ key, type }) => ({ key, type }));
}

/** A stable string for a key set: two results with the same signature describe the same columns. */
export const fieldKeysSignature = (keys: readonly FieldKeyInfo[]) => keys.map((k) => `${k.key}:${k.type}`).join("|");
