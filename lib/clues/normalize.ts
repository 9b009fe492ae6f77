import type { FirstTouch } from "@/lib/clues/first-touch";
import { maskPhone } from "@/lib/clues/phone";
import type { ClueDetail, ClueField, ClueItem, Dictionary, FollowUp, PhoneNumbers } from "@/lib/clues/schema";
import { FIELD_TYPE } from "@/lib/tanma/field-types";
import type { upstreamClueDetailSchema, upstreamClueSchema, upstreamFollowUpSchema } from "@/lib/tanma/schemas";
import type { z } from "zod";

/**
 * Turns Tanma's wire records into Clue Desk's API shape. Pure and total: every field upstream sends survives,
 * decoded into values (and labels for select fields); phone numbers (type 8) leave masked. Tanma's
 * `valueAsText` is not passed on next to the decoded values: it would make every list page a third larger
 * (196 KB against 148 KB for 100 rows), and the bytes are paid for in parse, gzip and transfer on every scroll.
 */

type UpstreamClue = z.output<typeof upstreamClueSchema>;
type UpstreamClueDetail = z.output<typeof upstreamClueDetailSchema>;
type UpstreamFollowUp = z.output<typeof upstreamFollowUpSchema>;

/** Lookups built once per dictionary load, so normalizing a page is linear in its size. */
export type DictionaryIndex = {
  itemLabels: ReadonlyMap<string, string>;
  tags: ReadonlyMap<string, { name: string; groupId: string; groupName: string }>;
};

export function indexDictionary(dictionary: Dictionary): DictionaryIndex {
  const itemLabels = new Map<string, string>();
  for (const field of dictionary.fields) for (const item of field.items) itemLabels.set(item.id, item.name);
  const tags = new Map<string, { name: string; groupId: string; groupName: string }>();
  for (const group of dictionary.tagGroups) {
    for (const tag of group.tags) tags.set(tag.qwTagId, { name: tag.name, groupId: group.id, groupName: group.name });
  }
  return { itemLabels, tags };
}

const MULTI_VALUE_TYPES: ReadonlySet<number> = new Set([FIELD_TYPE.multiSelect, FIELD_TYPE.phone]);
const SELECT_TYPES: ReadonlySet<number> = new Set([FIELD_TYPE.singleSelect, FIELD_TYPE.multiSelect]);

/**
 * C0 control characters but tab and newline, and UTF-16 halves without their other half. PostgreSQL's text
 * and jsonb refuse a NUL and a lone surrogate, so one such character in one lead would fail its whole day's
 * write; the others only garble a page or a spreadsheet cell.
 */
const UNWANTED_CHARACTERS = /[\u0000-\u0008\u000B-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text from Tanma as the desk keeps it: control characters dropped, a lone surrogate replaced by U+FFFD. */
export function cleanText(text: string): string {
  return text.replace(UNWANTED_CHARACTERS, (c) => (c.length === 1 && c < " " ? "" : "\uFFFD"));
}

/** A record from Tanma with every string in it cleaned (`cleanText`), before it is stored or shown. */
export function cleanRecord<T>(value: T): T {
  if (typeof value === "string") return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanRecord) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cleanRecord(inner)])) as T;
  }
  return value;
}

/** Multi-value fields arrive as a JSON array inside the string (`"[\"145678388\"]"`). */
export function decodeFieldValues(type: number, raw: string | null): string[] {
  if (raw === null || raw === "") return [];
  if (MULTI_VALUE_TYPES.has(type) || raw.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.filter((v) => v !== null && v !== "").map(String);
    } catch {
      // Not JSON after all: the raw text is the value.
    }
  }
  return [raw];
}

function normalizeField(field: UpstreamClue["fields"][number], index: DictionaryIndex): ClueField {
  const values = decodeFieldValues(field.type, field.valueAsText);
  if (field.type === FIELD_TYPE.phone) return { key: field.field, type: field.type, values: values.map(maskPhone) };
  const normalized: ClueField = { key: field.field, type: field.type, values };
  if (SELECT_TYPES.has(field.type)) normalized.labels = values.map((v) => index.itemLabels.get(v) ?? v);
  return normalized;
}

/** The unmasked phone numbers of a clue, for the audited reveal route only. */
export function phoneNumbers(clue: UpstreamClue): PhoneNumbers {
  return clue.fields
    .filter((f) => f.type === FIELD_TYPE.phone)
    .map((f) => ({ key: f.field, values: decodeFieldValues(f.type, f.valueAsText) }));
}

/** `firstTouch`: what the store knows beside the lead (lib/clues/store/touch-reader.ts); null while none is known. */
export function normalizeClue(clue: UpstreamClue, index: DictionaryIndex, firstTouch: FirstTouch | null = null): ClueItem {
  return {
    customerId: String(clue.customerId),
    isClue: clue.isClue,
    type: clue.type,
    fields: clue.fields.map((f) => normalizeField(f, index)),
    tags: clue.tagIds.map((id) => {
      const tag = index.tags.get(id);
      return { id, name: tag?.name ?? null, groupId: tag?.groupId ?? null, groupName: tag?.groupName ?? null };
    }),
    company: clue.companyInfo ? { id: String(clue.companyInfo.id), name: clue.companyInfo.name } : null,
    createTime: clue.createTime,
    lastUpdateTime: clue.lastUpdateTime,
    firstTouchAt: firstTouch?.at ?? null,
    firstTouchBy: firstTouch?.by ?? null,
  };
}

export function normalizeClueDetail(clue: UpstreamClueDetail, index: DictionaryIndex, firstTouch: FirstTouch | null = null): ClueDetail {
  return { ...normalizeClue(clue, index, firstTouch), convertCustomerTime: clue.convertCustomerTime ?? null };
}

export function normalizeFollowUp(entry: UpstreamFollowUp): FollowUp {
  return {
    id: String(entry.id),
    type: entry.type,
    content: entry.content ?? "",
    createTime: entry.createTime,
    operator: entry.operator ? { id: entry.operator.qwUserId, name: entry.operator.name } : null,
  };
}

/** Tanma ends a listing with an empty or missing cursor, or with an empty page; our API says `null`. */
export function normalizeCursor(nextCursor: string | null | undefined, pageLength: number): string | null {
  return nextCursor && pageLength > 0 ? nextCursor : null;
}
