/**
 * The API's limits and the clue type, without zod: client code imports them from here, so the browser
 * bundle does not carry the schema library (≈ 38 KB gzipped). `schema.ts` re-exports them for the server.
 */
export const MAX_RANGE_DAYS = 366;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 100;

export type ClueType = 1 | 2;
