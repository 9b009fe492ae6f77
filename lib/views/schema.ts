import { z } from "zod";
import { chinaToday } from "@/lib/china-time";
import { MAX_VIEW_NAME_LENGTH } from "@/lib/clues/limits";
import { REPEATABLE_FILTER_PARAMS, SINGLE_FILTER_PARAMS } from "@/lib/clues/filter-grammar";
import { requestText } from "@/lib/clues/schema";
import { filtersQueryString, loadClueSearchParams, resolveView } from "@/lib/clues/search-params";

/** The saved views API's requests and answers (`/api/views`). */

/** Saved views one owner may keep. */
export const MAX_VIEWS_PER_OWNER = 100;
/**
 * With sign-in off, saved views one client address may keep across all its browsers: each request without the
 * browser cookie is a new owner, so the owner's cap alone does not bound what one client stores.
 */
export const MAX_VIEWS_PER_CLIENT = 100;
const MAX_VIEW_QUERY_LENGTH = 4000;

/** The page parameters a saved view may carry: the filters, not the range (a view applies to any range). */
const VIEW_PARAMS: ReadonlySet<string> = new Set([...SINGLE_FILTER_PARAMS, ...REPEATABLE_FILTER_PARAMS]);
const REPEATABLE_VIEW_PARAMS: ReadonlySet<string> = new Set(REPEATABLE_FILTER_PARAMS);

const viewName = requestText("name", { missing: "name is required" })
  .trim()
  .min(1, { error: "name must not be blank" })
  .max(MAX_VIEW_NAME_LENGTH, { error: `name may be at most ${MAX_VIEW_NAME_LENGTH} characters` });

/**
 * A view's filters as the list page's query string (`type=2&tag=…&field=customer_stage:3`, `?` optional), in
 * the one filter grammar (lib/clues/filter-grammar.ts), so with a range before it the API takes it as it is.
 * Checked by the page's own rules and stored in its canonical form (defaults dropped, values deduplicated).
 */
export const viewQuery = z
  .string({ error: "query is required (the list's filters as a query string)" })
  .max(MAX_VIEW_QUERY_LENGTH, { error: `query may be at most ${MAX_VIEW_QUERY_LENGTH} characters` })
  .transform((text, ctx) => {
    const params = new URLSearchParams(text.replace(/^\?/, ""));
    for (const key of new Set(params.keys())) {
      if (!VIEW_PARAMS.has(key)) {
        ctx.addIssue({ code: "custom", message: `query: unknown parameter ${key.slice(0, 64)} (a view keeps ${[...VIEW_PARAMS].join(", ")})` });
        return z.NEVER;
      }
      if (!REPEATABLE_VIEW_PARAMS.has(key) && params.getAll(key).length > 1) {
        ctx.addIssue({ code: "custom", message: `query: parameter "${key}" is given more than once` });
        return z.NEVER;
      }
    }
    const result = resolveView(loadClueSearchParams(params), chinaToday());
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: `query: ${result.reason}` });
      return z.NEVER;
    }
    return filtersQueryString(result.view);
  });

export const createViewSchema = z.object({ name: viewName, query: viewQuery }).strict();
export const renameViewSchema = z.object({ name: viewName }).strict();
export const viewIdSchema = z.uuid({ error: "view id must be a UUID" });

/** Another owner's view, a deleted one and a malformed id all get this one 404. */
export const VIEW_NOT_FOUND = "没有这个已保存的视图 (saved view not found)";

export type SavedView = { id: string; name: string; query: string; createdAt: string; updatedAt: string };
export type SavedViewList = { views: SavedView[] };
