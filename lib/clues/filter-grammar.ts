import { FIELD_KEY_RE, MAX_FILTER_VALUE_LENGTH } from "@/lib/clues/limits";

/**
 * The one grammar of the list's filters, the same in the page's URL, the API's query string and a saved view:
 * `since`, `before`, `type`, `order`, `q`, `status`, `touch` once each, `tag=<qwTagId>` and `field=<key>:<itemId>`
 * repeated. Zod-free, so the page's URL state and the server's schema (lib/clues/schema.ts) both read it.
 * The API also takes a select field filter as `<key>=<itemId>`, an alias kept for API users of the older
 * grammar; `lib/api/filter-query.ts` rewrites it as `field=<key>:<itemId>` before the schema sees it.
 */

/** The filters that are not the range, given once each: what a saved view keeps besides the repeatable ones. */
export const SINGLE_FILTER_PARAMS = ["type", "order", "q", "status", "touch"] as const;
/** The repeatable filters: any of their values. */
export const REPEATABLE_FILTER_PARAMS = ["tag", "field"] as const;

/** `field=<key>:<itemId>` → key and item id; null when malformed. */
export function parseFieldParam(value: string): { key: string; item: string } | null {
  const colon = value.indexOf(":");
  if (colon < 0) return null;
  const key = value.slice(0, colon);
  const item = value.slice(colon + 1);
  if (!FIELD_KEY_RE.test(key) || item.length === 0 || item.length > MAX_FILTER_VALUE_LENGTH) return null;
  return { key, item };
}

/** A select field filter's value: `<key>:<itemId>`. */
export const fieldParam = (key: string, item: string) => `${key}:${item}`;
