import { describe, expect, it } from "vitest";
import { type NextPageQueryState, PREFETCH_ROWS, shouldFetchNextPage } from "@/components/data-table/fetch-next-page";
import { type TableQueryState, tableStatus } from "@/components/data-table/table-status";

/** The infinite table's decisions, as pure functions of the query state (components/data-table/). */

const settled: NextPageQueryState = { status: "success", hasNextPage: true, isFetchingNextPage: false };

describe("shouldFetchNextPage", () => {
  it("fetches once the last rendered row is within PREFETCH_ROWS of the end, not before", () => {
    const rowCount = 200;
    const edge = rowCount - 1 - PREFETCH_ROWS;
    expect(shouldFetchNextPage(settled, { lastRenderedIndex: edge - 1, rowCount })).toBe(false);
    expect(shouldFetchNextPage(settled, { lastRenderedIndex: edge, rowCount })).toBe(true);
    expect(shouldFetchNextPage(settled, { lastRenderedIndex: rowCount - 1, rowCount })).toBe(true);
  });

  it("keeps fetching past pages that came back empty with a cursor (nothing rendered is 'at the end')", () => {
    expect(shouldFetchNextPage(settled, { lastRenderedIndex: -1, rowCount: 0 })).toBe(true);
  });

  it.each<[string, Partial<NextPageQueryState>]>([
    ["there is no next page", { hasNextPage: false }],
    ["a page is already on its way", { isFetchingNextPage: true }],
    ["the first page is still loading", { status: "pending" }],
    ["the last request failed (only the retry button fetches again)", { status: "error" }],
  ])("does not fetch when %s", (_, change) => {
    expect(shouldFetchNextPage({ ...settled, ...change }, { lastRenderedIndex: 99, rowCount: 100 })).toBe(false);
  });
});

describe("tableStatus", () => {
  const state = (change: Partial<TableQueryState>): TableQueryState => ({ ...settled, ...change });

  it("shows placeholder rows and a loading footer until the first rows arrive", () => {
    expect(tableStatus(state({ status: "pending" }), 0)).toEqual({ body: "skeleton", below: "loading" });
    // Empty pages with a cursor (a company's scan) are still "loading", not "empty".
    expect(tableStatus(state({}), 0)).toEqual({ body: "skeleton", below: "loading" });
  });

  it("shows the empty state only when the query is exhausted with no rows", () => {
    expect(tableStatus(state({ hasNextPage: false }), 0)).toEqual({ body: "rows", below: "empty" });
  });

  it("shows the first page's error in place of rows, also while retrying", () => {
    expect(tableStatus(state({ status: "error" }), 0)).toEqual({ body: "rows", below: "error" });
    expect(tableStatus(state({ status: "error", isFetchingNextPage: true }), 0).below).toBe("error");
  });

  it("keeps the rows and puts a later page's error in the footer", () => {
    expect(tableStatus(state({ status: "error" }), 300)).toEqual({ body: "rows", below: "next-page-error" });
    expect(tableStatus(state({ status: "error", isFetchingNextPage: true }), 300).below).toBe("loading");
  });

  it("says whether more rows come on scrolling or all are loaded", () => {
    expect(tableStatus(state({}), 100)).toEqual({ body: "rows", below: "more" });
    expect(tableStatus(state({ isFetchingNextPage: true }), 100)).toEqual({ body: "rows", below: "loading" });
    expect(tableStatus(state({ hasNextPage: false }), 100)).toEqual({ body: "rows", below: "all" });
  });
});
