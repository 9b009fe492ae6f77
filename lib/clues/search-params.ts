import { createLoader, createSerializer, parseAsString } from "nuqs/server";
import { isDay, type Day } from "@/lib/china-time";
import { type ClueType, MAX_RANGE_DAYS } from "@/lib/clues/limits";
import { copy } from "@/lib/copy";
import { defaultRange, rangeLength } from "@/lib/date-presets";

/**
 * The list's URL state: `?since=YYYY-MM-DD&before=YYYY-MM-DD&type=1|2`. The URL is the only store of it;
 * these parsers are shared by the server page (loader), the client hooks (useQueryStates) and links
 * (serializer). Parsers keep raw strings; `resolveView` validates them by the API schema's rules (without
 * shipping zod to the browser; a test checks they agree) so the URL, the query key and the request can never
 * disagree.
 */
export const clueSearchParams = {
  since: parseAsString,
  before: parseAsString,
  type: parseAsString,
};

/** Updates replace the current history entry (no entry per click); back/forward still walk real navigations. */
export const clueSearchParamsOptions = { history: "replace", scroll: false } as const;

export const loadClueSearchParams = createLoader(clueSearchParams);
export const serializeClueSearchParams = createSerializer(clueSearchParams);

export type RawClueSearchParams = { since: string | null; before: string | null; type: string | null };

/** A validated view of the list. */
export type ClueView = { since: Day; before: Day; type: ClueType | undefined };

export type ViewResult =
  | { ok: true; view: ClueView; isDefaultRange: boolean }
  | { ok: false; reason: string; fallback: ClueView };

/**
 * Validates the URL state. Missing `since`/`before` mean the default range (last 7 China days); anything
 * present must be a real `YYYY-MM-DD`, `since < before`, at most 366 days apart; `type` must be 1 or 2.
 */
export function resolveView(raw: RawClueSearchParams, today: Day): ViewResult {
  const def = defaultRange(today);
  const fallback: ClueView = { ...def, type: undefined };
  const since = raw.since ?? (raw.before === null ? def.since : null);
  const before = raw.before ?? (raw.since === null ? def.before : null);
  if (since === null || before === null) {
    return { ok: false, reason: copy.list.invalidBothDates, fallback };
  }
  if (!isDay(since) || !isDay(before)) {
    return { ok: false, reason: copy.list.invalidDate(since, before), fallback };
  }
  if (raw.type !== null && raw.type !== "1" && raw.type !== "2") {
    return { ok: false, reason: copy.list.invalidType(raw.type), fallback };
  }
  // The rest of the API schema's rules (clueListQuerySchema), checked by hand so zod stays out of the bundle;
  // tests/clue-query.test.ts checks that both agree.
  if (since >= before) return { ok: false, reason: copy.list.invalidOrder(since, before), fallback };
  const days = rangeLength({ since, before });
  if (days > MAX_RANGE_DAYS) {
    return { ok: false, reason: copy.list.invalidTooLong(MAX_RANGE_DAYS, days), fallback };
  }
  const type = raw.type === null ? undefined : (Number(raw.type) as ClueType);
  return {
    ok: true,
    view: { since, before, type },
    isDefaultRange: raw.since === null && raw.before === null,
  };
}
