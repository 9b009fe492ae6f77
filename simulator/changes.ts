import { z } from "zod";
import { isDay, isWallTime, parseChinaWallTime } from "@/lib/china-time";
import { formatChinaWallTime } from "@/lib/china-time";
import type { UpstreamClue, UpstreamFollowUp } from "@/lib/tanma/schemas";
import type { Dataset } from "./dataset";
import { FIELD_TYPES_BY_KEY } from "./dictionary";
import { FOLLOW_UP_TYPE, SYSTEM_OPERATOR } from "./follow-ups";
import { FOLLOW_UP_NOTES, OPERATORS } from "./names";
import type { Random } from "./random";
import { MOBILE_RE, wallTime } from "./records";

/**
 * Changes a test makes to the simulated tenant at run time (`Simulator.addClue` … and the `/__sim/clues`
 * admin routes), and the tenant's own truth to compare a copy of it with. Inputs are checked here, so the
 * methods and the HTTP routes refuse the same things with the same messages.
 */

/** An input the tenant refuses (400) or a clue it does not have (404). */
export class TenantChangeError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** How far back a lead may be added: ids of older instants would no longer be 15-digit snowflakes. */
const OLDEST_ADDED_MS = 3 * 366 * 24 * 3_600_000;

const wallTimeText = z.string().refine(isWallTime, { error: "must be a China wall time YYYY-MM-DD HH:mm:ss" });
const mobile = z.string().regex(MOBILE_RE, { error: "must be an 11-digit mainland mobile number" });
const tagIds = z
  .array(z.string().regex(/^et[0-9A-Za-z]{30}$/, { error: "must be a WeCom tag id (et + 30 letters or digits)" }))
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, { error: "must not repeat a tag id" });

export const newClueSchema = z
  .object({
    /** China wall time; default now. */
    createTime: wallTimeText.optional(),
    type: z.union([z.literal(1), z.literal(2)]).optional(),
    isClue: z.boolean().optional(),
    name: z.string().trim().min(1).max(50).optional(),
    mobile: mobile.optional(),
    companyId: z.number().int().positive().optional(),
    tagIds: tagIds.optional(),
  })
  .strict()
  .refine((input) => !(input.type === 1 && input.companyId !== undefined), {
    error: "companyId belongs to a type 2 (企业) clue; leave type out or set it to 2",
  });
export type NewClue = z.input<typeof newClueSchema>;

/** A `mobile` field holds a JSON array of numbers, as Tanma's own records do. */
function isMobileList(text: string): boolean {
  try {
    const numbers: unknown = JSON.parse(text);
    return Array.isArray(numbers) && numbers.length > 0 && numbers.every((n) => typeof n === "string" && MOBILE_RE.test(n));
  } catch {
    return false;
  }
}

export const cluePatchSchema = z
  .object({
    /** valueAsText by field key; null clears the field. */
    fields: z
      .record(z.string(), z.string().max(2000).nullable())
      .superRefine((fields, ctx) => {
        for (const [key, value] of Object.entries(fields)) {
          if (!FIELD_TYPES_BY_KEY.has(key)) {
            const known = [...FIELD_TYPES_BY_KEY.keys()].join(", ");
            ctx.addIssue({ code: "custom", path: [key], message: `unknown field key; known: ${known}` });
          } else if (key === "mobile" && value !== null && !isMobileList(value)) {
            const message = 'the mobile field holds a JSON array of 11-digit numbers, e.g. ["13800138000"]';
            ctx.addIssue({ code: "custom", path: [key], message });
          }
        }
      })
      .optional(),
    tagIds: tagIds.optional(),
  })
  .strict()
  .refine((patch) => patch.fields !== undefined || patch.tagIds !== undefined, { error: "give fields, tagIds or both" });
export type CluePatch = z.input<typeof cluePatchSchema>;

export const newFollowUpSchema = z
  .object({
    /** Who wrote it; an empty qwUserId is a system entry (default: one of the tenant's salespeople). */
    operator: z.object({ qwUserId: z.string().max(64), name: z.string().trim().min(1).max(50) }).strict().optional(),
    content: z.string().min(1).max(2000).optional(),
    /** China wall time; default now. */
    createTime: wallTimeText.optional(),
  })
  .strict();
export type NewFollowUp = z.input<typeof newFollowUpSchema>;

/** `since` inclusive, `before` exclusive, each a wall time or a day (its 00:00:00), as Tanma's list takes them. */
const isDayOrWallTime = (value: string) => isDay(value) || isWallTime(value);
const rangeBound = z.string().refine(isDayOrWallTime, { error: "must be YYYY-MM-DD or YYYY-MM-DD HH:mm:ss" });
export const clueRangeSchema = z
  .object({ since: rangeBound, before: rangeBound, type: z.union([z.literal(1), z.literal(2)]).optional() })
  .strict()
  // Zod runs this even when a bound failed its own check; that bound has its issue already.
  .refine(
    ({ since, before }) => !isDayOrWallTime(since) || !isDayOrWallTime(before) || parseChinaWallTime(since) < parseChinaWallTime(before),
    { error: "since must be earlier than before" },
  );
export type ClueRange = z.input<typeof clueRangeSchema>;

export function addClue(dataset: Dataset, input: unknown, nowMs: number, random: Random): UpstreamClue {
  const clue = newClueSchema.parse(input ?? {});
  if (clue.createTime !== undefined && clue.createTime > wallTime(nowMs)) {
    throw new TenantChangeError(400, `createTime ${clue.createTime} is after the tenant's now (${wallTime(nowMs)})`);
  }
  const createSecondMs = clue.createTime === undefined ? undefined : parseChinaWallTime(clue.createTime);
  if (createSecondMs !== undefined && createSecondMs < nowMs - OLDEST_ADDED_MS) {
    throw new TenantChangeError(400, "createTime must be within the last 3 years");
  }
  const company = clue.companyId === undefined ? undefined : dataset.companies.find((c) => c.id === clue.companyId);
  if (clue.companyId !== undefined && company === undefined) {
    throw new TenantChangeError(400, `companyId ${clue.companyId} is not one of the tenant's companies`);
  }
  // A given createTime names a second; the id's instant falls somewhere in it, as a generated record's does.
  const createMs = createSecondMs === undefined ? nowMs : createSecondMs + random.int(0, 999);
  return dataset.insert(createMs, random, {
    type: company === undefined ? clue.type : 2,
    company,
    isClue: clue.isClue,
    tagIds: clue.tagIds,
    fields: {
      ...(clue.name === undefined ? {} : { name: clue.name }),
      ...(clue.mobile === undefined ? {} : { mobile: JSON.stringify([clue.mobile]) }),
    },
  });
}

export function editClue(dataset: Dataset, customerId: number, patch: unknown, nowMs: number): UpstreamClue {
  const { fields, tagIds } = cluePatchSchema.parse(patch);
  const updated = dataset.update(customerId, { fields, tagIds }, nowMs);
  if (updated === undefined) throw unknownClue(customerId);
  return updated;
}

export function removeClue(dataset: Dataset, customerId: number): void {
  if (!dataset.remove(customerId)) throw unknownClue(customerId);
}

export function cluesBetween(dataset: Dataset, range: unknown): UpstreamClue[] {
  const { since, before, type } = clueRangeSchema.parse(range);
  return dataset.between(parseChinaWallTime(since) / 1000, parseChinaWallTime(before) / 1000, type);
}

/** Follow-up ids grow with time like Tanma's; the low bits are drawn. */
const FOLLOW_UP_ID_BASE = 440_000_000_000_000;

export function addFollowUp(dataset: Dataset, customerId: number, input: unknown, nowMs: number, random: Random): UpstreamFollowUp {
  const { operator, content, createTime } = newFollowUpSchema.parse(input ?? {});
  const clue = dataset.find(customerId);
  if (clue === undefined) throw unknownClue(customerId);
  const now = formatChinaWallTime(nowMs);
  if (createTime !== undefined && createTime > now) throw new TenantChangeError(400, `createTime ${createTime} is after the tenant's now (${now})`);
  if (createTime !== undefined && createTime < clue.createTime) {
    throw new TenantChangeError(400, `createTime ${createTime} is before the clue's own (${clue.createTime})`);
  }
  const by = operator ?? random.pick(OPERATORS);
  const at = createTime ?? now;
  const item: UpstreamFollowUp = {
    id: FOLLOW_UP_ID_BASE + Math.floor(parseChinaWallTime(at) / 1000) * 1024 + random.int(0, 1023),
    type: by.qwUserId === "" ? FOLLOW_UP_TYPE.system : FOLLOW_UP_TYPE.note,
    content: content ?? (by.qwUserId === "" ? `添加了客户的信息:\n“日期: ${at.slice(0, 10)}”` : random.pick(FOLLOW_UP_NOTES)),
    createTime: at,
    operator: { qwUserId: by.qwUserId, name: by.qwUserId === "" && operator === undefined ? SYSTEM_OPERATOR.name : by.name },
  };
  dataset.addFollowUp(customerId, item);
  return item;
}

const unknownClue = (customerId: number) => new TenantChangeError(404, `no clue ${customerId} in the clue list`);
