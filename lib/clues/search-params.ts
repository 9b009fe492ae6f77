import { createLoader, createSerializer, parseAsNativeArrayOf, parseAsString } from "nuqs/server";
import { isDay, type Day } from "@/lib/china-time";
import {
  CONTROL_CHARACTER,
  type ClueOrder,
  type ClueStatus,
  type ClueTouch,
  type ClueType,
  MAX_FIELD_FILTERS,
  MAX_FILTER_VALUE_LENGTH,
  MAX_FILTER_VALUES,
  MAX_QUERY_LENGTH,
  MAX_RANGE_DAYS,
} from "@/lib/clues/limits";
import { fieldParam, parseFieldParam } from "@/lib/clues/filter-grammar";
import { copy } from "@/lib/copy";
import { defaultRange, rangeLength } from "@/lib/date-presets";

/**
 * The list's URL state:
 * `?since=YYYY-MM-DD&before=YYYY-MM-DD&type=1|2&order=asc&q=…&status=clue|unassigned&touch=untouched|touched&tag=<qwTagId>…&field=<key>:<itemId>…`
 * (`tag` and `field` repeat; `order` is absent for the default, newest first). The URL is the only store of it;
 * these parsers are shared by the server page (loader), the client hooks (useQueryStates) and links
 * (serializer). The grammar is the API's own (lib/clues/filter-grammar.ts): a select field filter travels as
 * one `field=<key>:<itemId>` parameter, so the page's parameters are a fixed set and a stray parameter in a
 * pasted link is ignored rather than sent as a filter. Parsers keep raw strings; `resolveView` validates them
 * by the API schema's rules (without shipping zod to the browser; a test checks they agree) so the URL, the
 * query key and the request can never disagree.
 */
export const clueSearchParams = {
  since: parseAsString,
  before: parseAsString,
  type: parseAsString,
  order: parseAsString,
  q: parseAsString,
  status: parseAsString,
  touch: parseAsString,
  tag: parseAsNativeArrayOf(parseAsString),
  field: parseAsNativeArrayOf(parseAsString),
};

/** Updates replace the current history entry (no entry per click); back/forward still walk real navigations. */
export const clueSearchParamsOptions = { history: "replace", scroll: false } as const;

export const loadClueSearchParams = createLoader(clueSearchParams);
export const serializeClueSearchParams = createSerializer(clueSearchParams);

export type RawClueSearchParams = {
  since: string | null;
  before: string | null;
  type: string | null;
  order: string | null;
  q: string | null;
  status: string | null;
  touch: string | null;
  tag: string[];
  field: string[];
};

/** The URL state with nothing set: the default view. */
export const EMPTY_RAW_VIEW: RawClueSearchParams = {
  since: null,
  before: null,
  type: null,
  order: null,
  q: null,
  status: null,
  touch: null,
  tag: [],
  field: [],
};

/** A validated view of the list. */
export type ClueView = {
  since: Day;
  before: Day;
  type: ClueType | undefined;
  /** Newest first (`desc`, the default) or oldest first. */
  order: ClueOrder;
  /** The search, trimmed; undefined when blank. */
  q: string | undefined;
  status: ClueStatus | undefined;
  /** Untouched: no first touch known; touched: one is. */
  touch: ClueTouch | undefined;
  /** Any of these qwTagIds. */
  tags: string[];
  /** Per select field key, any of these item ids. */
  fields: Record<string, string[]>;
};

export type ViewResult =
  | { ok: true; view: ClueView; isDefaultRange: boolean }
  | { ok: false; reason: string; fallback: ClueView };

/** The filters of a view that are not its range: what 清除筛选 clears and a saved view stores beside the range. */
export function hasFilters(view: ClueView): boolean {
  return (
    view.type !== undefined ||
    view.q !== undefined ||
    view.status !== undefined ||
    view.touch !== undefined ||
    view.tags.length > 0 ||
    Object.keys(view.fields).length > 0
  );
}

/** A validated view back to its URL state (defaults left out), the inverse of `resolveView`. */
export function viewToRaw(view: ClueView): RawClueSearchParams {
  return {
    since: view.since,
    before: view.before,
    type: view.type === undefined ? null : String(view.type),
    order: view.order === "desc" ? null : view.order,
    q: view.q ?? null,
    status: view.status ?? null,
    touch: view.touch ?? null,
    tag: view.tags,
    field: Object.entries(view.fields).flatMap(([key, items]) => items.map((item) => fieldParam(key, item))),
  };
}

/** The view's page query string (`since=…&before=…&tag=…`), without `?`: the shareable link and a saved view's query. */
export function viewQueryString(view: ClueView): string {
  return serializeClueSearchParams(viewToRaw(view)).replace(/^\?/, "");
}

/** The view's filters as a page query string without its range (`type=2&tag=…`): what a saved view stores. */
export function filtersQueryString(view: ClueView): string {
  return serializeClueSearchParams({ ...viewToRaw(view), since: null, before: null }).replace(/^\?/, "");
}

/**
 * Validates the URL state. Missing `since`/`before` mean the default range (last 7 China days); anything
 * present must be a real `YYYY-MM-DD`, `since < before`, at most 366 days apart; `type` must be 1 or 2,
 * `order` desc or asc, `status` clue or unassigned, `touch` untouched or touched; no control characters in `q`, tags and fields; `q` at most
 * 50 characters once trimmed (blank: no search);
 * at most 50 tags, and 20 select fields of at most 50 items each.
 */
export function resolveView(raw: RawClueSearchParams, today: Day): ViewResult {
  const def = defaultRange(today);
  const fallback: ClueView = { ...def, type: undefined, order: "desc", q: undefined, status: undefined, touch: undefined, tags: [], fields: {} };
  const fail = (reason: string): ViewResult => ({ ok: false, reason, fallback });
  const since = raw.since ?? (raw.before === null ? def.since : null);
  const before = raw.before ?? (raw.since === null ? def.before : null);
  if (since === null || before === null) return fail(copy.list.invalidBothDates);
  if (!isDay(since) || !isDay(before)) return fail(copy.list.invalidDate(since, before));
  if (raw.type !== null && raw.type !== "1" && raw.type !== "2") return fail(copy.list.invalidType(raw.type));
  if (raw.order !== null && raw.order !== "desc" && raw.order !== "asc") return fail(copy.list.invalidSortOrder(raw.order));
  if (raw.status !== null && raw.status !== "clue" && raw.status !== "unassigned") return fail(copy.list.invalidStatus(raw.status));
  if (raw.touch !== null && raw.touch !== "untouched" && raw.touch !== "touched") return fail(copy.list.invalidTouch(raw.touch));
  // The rest of the API schema's rules (clueListQuerySchema), checked by hand so zod stays out of the bundle;
  // tests/clue-query.test.ts checks that both agree.
  if (since >= before) return fail(copy.list.invalidOrder(since, before));
  const days = rangeLength({ since, before });
  if (days > MAX_RANGE_DAYS) return fail(copy.list.invalidTooLong(MAX_RANGE_DAYS, days));
  const texts = [raw.q ?? "", ...raw.tag, ...raw.field];
  if (texts.some((text) => CONTROL_CHARACTER.test(text))) return fail(copy.list.invalidControlCharacters);
  const q = raw.q?.trim() ?? "";
  if (q.length > MAX_QUERY_LENGTH) return fail(copy.list.invalidQuery(MAX_QUERY_LENGTH));
  const tags = [...new Set(raw.tag)];
  if (tags.length > MAX_FILTER_VALUES || tags.some((t) => t.length === 0 || t.length > MAX_FILTER_VALUE_LENGTH)) {
    return fail(copy.list.invalidFilters);
  }
  const fields: Record<string, string[]> = {};
  for (const value of raw.field) {
    const parsed = parseFieldParam(value);
    if (parsed === null) return fail(copy.list.invalidFilters);
    const items = (fields[parsed.key] ??= []);
    if (!items.includes(parsed.item)) items.push(parsed.item);
  }
  const fieldCounts = Object.values(fields).map((items) => items.length);
  if (fieldCounts.length > MAX_FIELD_FILTERS || fieldCounts.some((n) => n > MAX_FILTER_VALUES)) {
    return fail(copy.list.invalidFilters);
  }
  return {
    ok: true,
    view: {
      since,
      before,
      type: raw.type === null ? undefined : (Number(raw.type) as ClueType),
      order: raw.order === "asc" ? "asc" : "desc",
      q: q === "" ? undefined : q,
      status: raw.status === null ? undefined : (raw.status as ClueStatus),
      touch: raw.touch === null ? undefined : (raw.touch as ClueTouch),
      tags,
      fields,
    },
    isDefaultRange: raw.since === null && raw.before === null,
  };
}
