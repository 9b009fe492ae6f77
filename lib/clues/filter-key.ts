import type { ClueFilter } from "@/lib/clues/schema";

/**
 * One text per filter: two filters choosing the same leads in the same order give the same text, whatever the
 * order of their tags, fields or items. Every key of the filter takes part, so a filter added to the schema is
 * part of it without a change here; the page's position and size are not filters and are left out. It keys
 * what belongs to a filter: the cursors sealed for it (lib/clues/service.ts) and the answers cached for it
 * (lib/clues/store/answer-cache.ts).
 */
export function filterKey(query: ClueFilter & { cursor?: string | undefined; size?: number | undefined }): string {
  const { cursor: _cursor, size: _size, ...filter } = query;
  return JSON.stringify(canonical(filter));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort(byJson);
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]);
  }
  return value;
}

const byJson = (a: unknown, b: unknown) => {
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};
