/** The slice of a TanStack infinite query the prefetch decision reads. */
export type NextPageQueryState = {
  status: "pending" | "error" | "success";
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
};

/** Fetch the next page once the last rendered row is this close to the end of what is loaded. */
export const PREFETCH_ROWS = 30;

/**
 * Whether to ask for the next page now: the query is settled, there is one, none is on its way, and the
 * last rendered row is within `PREFETCH_ROWS` of the end. A page that came back empty but with a cursor
 * (a company's scan) leaves zero rows, which is "at the end", so fetching goes on. After an error only the
 * retry button fetches again.
 */
export function shouldFetchNextPage(query: NextPageQueryState, rows: { lastRenderedIndex: number; rowCount: number }): boolean {
  if (query.status !== "success" || !query.hasNextPage || query.isFetchingNextPage) return false;
  return rows.lastRenderedIndex >= rows.rowCount - 1 - PREFETCH_ROWS;
}
