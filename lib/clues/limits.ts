/**
 * The API's limits and the clue type, without zod: client code imports them from here, so the browser
 * bundle does not carry the schema library (≈ 38 KB gzipped). `schema.ts` re-exports them for the server.
 */
export const MAX_RANGE_DAYS = 366;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 100;

export type ClueType = 1 | 2;

/** `q`: trimmed, 1 to this many characters. */
export const MAX_QUERY_LENGTH = 50;
/** Values one repeatable filter (`tag`, a select field) may list, and select fields one request may filter. */
export const MAX_FILTER_VALUES = 50;
export const MAX_FIELD_FILTERS = 20;
/** Longest value of a repeatable filter (a tag id, a select item id). */
export const MAX_FILTER_VALUE_LENGTH = 64;
/**
 * NUL and the other control characters (C0, DEL, C1), refused in every text a request carries (a search, a
 * filter value, a name): PostgreSQL cannot store NUL, so a query with one failed with a 500 (and a saved view
 * with one failed whenever applied), and no control character belongs in text a person typed.
 */
export const CONTROL_CHARACTER = /[\u0000-\u001F\u007F-\u009F]/;

/** A select field's key, as clue rows carry it (`customer_stage`, `custom_401300000000001`). */
export const FIELD_KEY_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export type ClueOrder = "desc" | "asc";
export type ClueStatus = "clue" | "unassigned";
/** Leads with no first touch known (`untouched`), or with one (`touched`). */
export type ClueTouch = "untouched" | "touched";

/** A saved view's name, at most this many characters (trimmed). */
export const MAX_VIEW_NAME_LENGTH = 60;
