import { z } from "zod";
import { daysBetween, isDay, isWallTime, toWallTime } from "@/lib/china-time";
import {
  CONTROL_CHARACTER,
  DEFAULT_PAGE_SIZE,
  MAX_FIELD_FILTERS,
  MAX_FILTER_VALUE_LENGTH,
  MAX_FILTER_VALUES,
  MAX_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  MAX_RANGE_DAYS,
} from "@/lib/clues/limits";
import { parseFieldParam, SINGLE_FILTER_PARAMS } from "@/lib/clues/filter-grammar";

/**
 * The one schema of Clue Desk's own JSON API: the route handlers parse requests with it and build responses
 * of its types, and the pages use the same types, query-string rules and defaults. Nothing here is
 * server-only, but client components import the limits from `limits.ts` to keep zod out of the bundle.
 */

export {
  DEFAULT_PAGE_SIZE,
  FIELD_KEY_RE,
  MAX_FIELD_FILTERS,
  MAX_FILTER_VALUES,
  MAX_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  MAX_RANGE_DAYS,
} from "@/lib/clues/limits";
export type { ClueType } from "@/lib/clues/limits";

export const clueTypeSchema = z
  .enum(["1", "2"], { error: "type must be 1 (个人), 2 (企业) or absent (both)" })
  .transform((t) => Number(t) as 1 | 2);

const chinaTime = (name: string) =>
  z
    .string({ error: `${name} is required (YYYY-MM-DD or YYYY-MM-DD HH:mm:ss, China time)` })
    .refine((v) => isDay(v) || isWallTime(v), {
      error: `${name} must be a real date as YYYY-MM-DD or YYYY-MM-DD HH:mm:ss (China time)`,
    })
    .transform(toWallTime);

/**
 * A Tanma id (15-digit snowflakes in practice). Kept as a string in our API; it must be a safe integer
 * because Tanma's JSON carries it as a number.
 */
const tanmaIdSchema = (name: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, { error: `${name} must be a numeric id` })
    .refine((id) => Number.isSafeInteger(Number(id)), { error: `${name} is out of range` });

export const customerIdSchema = tanmaIdSchema("customer id");
/** The one rule for a company id: the API's `companyId` and the `/companies/{id}` route. */
export const companyIdSchema = tanmaIdSchema("companyId");

/** Text from a request (`name` names it in the error): a string without NUL or other control characters. */
export const requestText = (name: string, { missing }: { missing?: string } = {}) =>
  z
    .string(missing === undefined ? undefined : { error: missing })
    .refine((text) => !CONTROL_CHARACTER.test(text), { error: `${name} must not contain control characters (such as NUL)` });

const SIZE_ERROR = `size must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

/** A paged list's `cursor` (as the server issued it) and page `size`: the clue list's and the audit trail's. */
export const pagingShape = {
  cursor: z.string().min(1).max(512, { error: "cursor is too long" }).optional(),
  size: z.coerce
    .number({ error: SIZE_ERROR })
    .int({ error: SIZE_ERROR })
    .min(1, { error: SIZE_ERROR })
    .max(MAX_PAGE_SIZE, { error: SIZE_ERROR })
    .default(DEFAULT_PAGE_SIZE),
};

/** Days spanned by a wall-time range, rounding a partial day up. */
function rangeDays(since: string, before: string): number {
  const whole = daysBetween(since.slice(0, 10), before.slice(0, 10));
  return before.slice(11) > since.slice(11) ? whole + 1 : whole;
}

const rangeRefinement = (q: { since: string; before: string }, ctx: z.RefinementCtx) => {
  // Zod still runs this when a field failed; those failures are already reported.
  if (!isWallTime(q.since) || !isWallTime(q.before)) return;
  if (q.since >= q.before) {
    ctx.addIssue({ code: "custom", message: "since must be earlier than before (before is exclusive)" });
  } else if (rangeDays(q.since, q.before) > MAX_RANGE_DAYS) {
    ctx.addIssue({ code: "custom", message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  }
};


/** The parameters every list read shares: the list itself, its facets and its export. */
const clueFilterShape = {
  since: chinaTime("since"),
  before: chinaTime("before"),
  type: clueTypeSchema.optional(),
  companyId: companyIdSchema.optional(),
  q: requestText("q")
    .trim()
    .min(1, { error: "q must not be blank" })
    .max(MAX_QUERY_LENGTH, { error: `q may be at most ${MAX_QUERY_LENGTH} characters` })
    .optional(),
  status: z.enum(["clue", "unassigned"], { error: "status must be clue (线索) or unassigned (待分配客户)" }).optional(),
  touch: z.enum(["untouched", "touched"], { error: "touch must be untouched (未跟进: no first touch known) or touched (已跟进)" }).optional(),
  order: z.enum(["desc", "asc"], { error: "order must be desc (newest first) or asc (oldest first)" }).default("desc"),
};

/**
 * Repeatable parameters, in the grammar of lib/clues/filter-grammar.ts: `tag` (any of the given qwTagIds) and
 * `field` (`<key>:<itemId>`, any of a key's given item ids). They are collected from the query string before
 * the schema runs (lib/api/filter-query.ts, which also rewrites the alias `<key>=<itemId>` as a `field`);
 * `field` comes out as `fields`, item ids per key. A key the store has never seen as a select field is
 * rejected by the store, which knows its keys.
 */
const tagValues = z
  .array(
    requestText("tag values")
      .min(1)
      .max(MAX_FILTER_VALUE_LENGTH, { error: `tag values may be at most ${MAX_FILTER_VALUE_LENGTH} characters` }),
  )
  .max(MAX_FILTER_VALUES, { error: `tag may list at most ${MAX_FILTER_VALUES} values` });

const FIELD_FORMAT_ERROR =
  `field must be <select field key>:<item id> (a key of letters, digits and _ starting with a letter, ` +
  `an item id of 1 to ${MAX_FILTER_VALUE_LENGTH} characters)`;

const fieldFilter = requestText("field values").transform((value, ctx) => {
  const parsed = parseFieldParam(value);
  if (parsed === null) {
    ctx.addIssue({ code: "custom", message: FIELD_FORMAT_ERROR });
    return z.NEVER;
  }
  return parsed;
});

/** `field=<key>:<itemId>`… → item ids per key. A Map gathers them: a key such as `constructor` is just a key. */
const fieldFilters = z.array(fieldFilter).transform((filters, ctx) => {
  const byKey = new Map<string, string[]>();
  for (const { key, item } of filters) byKey.set(key, [...(byKey.get(key) ?? []), item]);
  if (byKey.size > MAX_FIELD_FILTERS) {
    ctx.addIssue({ code: "custom", message: `at most ${MAX_FIELD_FILTERS} field filters` });
    return z.NEVER;
  }
  for (const [key, items] of byKey) {
    if (items.length > MAX_FILTER_VALUES) {
      ctx.addIssue({ code: "custom", message: `field ${key} may list at most ${MAX_FILTER_VALUES} values` });
      return z.NEVER;
    }
  }
  return Object.fromEntries(byKey);
});

const repeatableShape = {
  tag: tagValues.default([]),
  field: fieldFilters.default({}),
};

/** The parsed filters name the select field filters `fields` (item ids per key), as the store reads them. */
function namingFields<T extends { field: Record<string, string[]> }>({ field, ...rest }: T): Omit<T, "field"> & { fields: Record<string, string[]> } {
  return { ...rest, fields: field };
}

export const clueFilterSchema = z
  .object({ ...clueFilterShape, ...repeatableShape })
  .strict()
  .superRefine(rangeRefinement)
  .transform(namingFields);
export type ClueFilter = z.output<typeof clueFilterSchema>;

/** `GET /api/clues` query. Times come out as China wall times `YYYY-MM-DD HH:mm:ss`. */
export const clueListQuerySchema = z
  .object({
    ...clueFilterShape,
    ...repeatableShape,
    ...pagingShape,
  })
  .strict()
  .superRefine(rangeRefinement)
  .transform(namingFields);
export type ClueListQuery = z.output<typeof clueListQuerySchema>;

/** `GET /api/clues/facets` query: the list's filters, nothing else (no cursor or size: facets count the whole range). */
export const clueFacetsQuerySchema = clueFilterSchema;
export type ClueFacetsQuery = ClueFilter;

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /api/clues/export` query: the list's filters and the file format. */
export const clueExportQuerySchema = z
  .object({
    ...clueFilterShape,
    ...repeatableShape,
    format: z.enum(EXPORT_FORMATS, { error: "format must be csv or xlsx" }),
  })
  .strict()
  .superRefine(rangeRefinement)
  .transform(namingFields);
export type ClueExportQuery = z.output<typeof clueExportQuerySchema>;

/** Parameters of the list reads that are not repeatable; every other key is a tag, a field or the alias of one. */
export const SINGLE_VALUE_PARAMS: ReadonlySet<string> = new Set([
  "since",
  "before",
  ...SINGLE_FILTER_PARAMS,
  "companyId",
  "cursor",
  "size",
  "format",
]);

/** `POST /api/sync` query: the days of a range to walk again now. */
export const syncRequestSchema = z
  .object({ since: chinaTime("since"), before: chinaTime("before") })
  .strict()
  .superRefine(rangeRefinement);
export type SyncRequest = z.output<typeof syncRequestSchema>;

export type SyncResponse = {
  /** Days walked again by this request. */
  walked: number;
  /** Days left alone: forced by the same user moments ago, after today, or older than the range's newest 31. */
  skipped: number;
  failed: { day: string; reason: SyncFailure }[];
};

export const followUpQuerySchema = z
  .object({ cursor: z.string().min(1).max(512, { error: "cursor is too long" }).optional() })
  .strict();

/** A decoded field of a clue. */
export type ClueField = {
  key: string;
  /** Tanma field type code (1 text … 8 phone). */
  type: number;
  /** Decoded values: multi-value JSON arrays parsed, `[]` when empty, phone numbers masked. */
  values: string[];
  /** Select fields (types 2, 6) only: each value's item label, or the value when the dictionary lacks it. */
  labels?: string[];
};

/** `POST /api/clues/{customerId}/phones`: the unmasked numbers per phone field; each reveal is audited. */
export type PhoneNumbers = { key: string; values: string[] }[];

export type ClueTag = {
  /** The `qwTagId` the clue carries. */
  id: string;
  /** `null` when the tag tree does not know the id. */
  name: string | null;
  groupId: string | null;
  groupName: string | null;
};

export type ClueCompany = { id: string; name: string };

export type ClueItem = {
  customerId: string;
  isClue: boolean;
  /** 1 个人, 2 企业. */
  type: number;
  /** Fields in upstream order. */
  fields: ClueField[];
  tags: ClueTag[];
  company: ClueCompany | null;
  createTime: string;
  lastUpdateTime: string;
  /** The earliest follow-up by a person (China wall time) and their name; null while untouched or not yet checked. */
  firstTouchAt: string | null;
  firstTouchBy: string | null;
};

export type ClueDetail = ClueItem & { convertCustomerTime: string | null };

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Why a walk failed, as a kind the desk says in plain words: Tanma refused the request (`rejected`), did not
 * answer in time, was busy (our own share of its quota, or its 429), could not be reached, answered what we
 * cannot read; or the store could not save. `code`: Tanma's code or the HTTP status, for the small print.
 */
export type SyncFailure = { kind: "rejected" | "timeout" | "busy" | "unreachable" | "invalidAnswer" | "store"; code?: string };

/** How far the store's copy of a range has come, so a page can show its age and progress. */
export type SyncState = {
  /** The oldest moment any day of the range was last confirmed current (ISO); null when nothing is stored. */
  syncedAt: string | null;
  /** True when a refresh of the range failed since its copy was made: the rows shown may be out of date. */
  stale: boolean;
  /** Why, when stale. */
  reason?: SyncFailure;
  /** Days of the range not stored yet (still being walked, or their walk failed). */
  pendingDays: number;
  /** Days of the range (up to today). */
  days: number;
};

/**
 * `total` counts every matching lead of the range once `totalFinal`; while days of a range read for the first
 * time are still being stored (`sync.pendingDays`), it counts the stored ones only: at least that many.
 */
export type ClueListResponse = Page<ClueItem> & { total: number; totalFinal: boolean; sync: SyncState };

/** Leads per type (1 个人, 2 企业; any other code Tanma sends under its own key) and per status (线索 / 待分配客户); zeros included. */
export type TypeCounts = { "1": number; "2": number } & Record<string, number>;
export type StatusCounts = Record<"clue" | "unassigned", number>;

/** One histogram bucket: a China day `YYYY-MM-DD`, or an hour `YYYY-MM-DD HH:00:00` for ranges of 2 days or less. */
export type HistogramBucket = { start: string; count: number; byType: TypeCounts; byStatus: StatusCounts };

/**
 * `GET /api/clues/facets`. `total` and `histogram` count the leads matching every filter; each dimension counts
 * with every filter but its own (a select field: but that field's), so a value says how many leads choosing it
 * would give. Tags and field items with no lead are left out.
 */
export type ClueFacetsResponse = {
  total: number;
  type: TypeCounts;
  status: StatusCounts;
  /** Leads per qwTagId. */
  tags: Record<string, number>;
  /** Leads per select field key, per item id. */
  fields: Record<string, Record<string, number>>;
  /** Every bucket of the range up to now, oldest first, empty ones included. */
  histogram: HistogramBucket[];
  /** Leads with a first touch known (已跟进) and without (未跟进), counted with every filter but `touch`. */
  touch: TouchCounts;
  firstTouch: FirstTouchSpeed;
  sync: SyncState;
};

export type TouchCounts = { touched: number; untouched: number };

/**
 * Speed to lead over the touched leads matching every filter: minutes from creation to first touch (median,
 * 90th percentile; null without a touched lead), and how many were touched within `slaMinutes` (`TOUCH_SLA_MINUTES`).
 */
export type FirstTouchSpeed = { medianMinutes: number | null; p90Minutes: number | null; withinSla: number; slaMinutes: number };

export type FollowUp = {
  id: string;
  type: number;
  content: string;
  createTime: string;
  operator: { id: string; name: string } | null;
};
export type FollowUpListResponse = Page<FollowUp>;

export type DictionaryField = {
  id: string;
  name: string;
  type: number;
  items: { id: string; name: string }[];
};

export type TagGroup = {
  id: string;
  name: string;
  qwTagId: string;
  tags: { id: string; name: string; qwTagId: string }[];
};

export type Dictionary = {
  /** Label per field key: built-in system keys, operator overrides, then dictionary matches. */
  fieldLabels: Record<string, string>;
  fields: DictionaryField[];
  tagGroups: TagGroup[];
};

export type ApiError = { error: string; upstreamCode?: number; upstreamMessage?: string };
