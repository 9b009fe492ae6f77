import "server-only";
import { createHmac } from "node:crypto";
import { maskPhone } from "@/lib/clues/phone";
import { phoneDigits, SEARCHED_FIELD_KEYS } from "@/lib/clues/search-match";
import { cleanRecord, decodeFieldValues } from "@/lib/clues/normalize";
import { serverSecret } from "@/lib/server-secret";
import type { clues, StoredRecord } from "@/lib/clues/store/tables";
import { FIELD_TYPE } from "@/lib/tanma/field-types";

/**
 * How a clue from Tanma becomes a row of the store: its phone numbers masked (the masked form is what the list
 * shows) and keyed-hashed (so a whole number still finds its lead), never kept in clear; plus the columns the
 * list's search, filters and facets read. Its text is cleaned first (`cleanRecord`): the store cannot hold a
 * NUL.
 */

const SELECT_TYPES: ReadonlySet<number> = new Set([FIELD_TYPE.singleSelect, FIELD_TYPE.multiSelect]);
export function phoneHash(digits: string): string {
  return createHmac("sha256", serverSecret("phone-hash")).update(digits).digest("hex");
}

/**
 * The two-character sequences of a text, skipping any that spans whitespace or a mask's `*`: a search for
 * "王芳" or "5678" needs them all, and an index on them finds the candidates. `search_grams`'s migration
 * computes the same in SQL for rows stored before it.
 */
export function searchGrams(text: string): string[] {
  const chars = [...text];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const gram = chars[i]! + chars[i + 1]!;
    if (!/[\s*]/.test(gram)) grams.add(gram);
  }
  return [...grams];
}

/** A row as the store writes it, but for `storedAt`, which the writer stamps. */
export type ClueRow = Omit<typeof clues.$inferInsert, "storedAt">;

/** The China day a lead belongs to: its create time's date. */
export const dayOf = (record: Pick<StoredRecord, "createTime">): string => record.createTime.slice(0, 10);

export function toRow(upstream: StoredRecord): ClueRow {
  const clue = cleanRecord(upstream);
  const masked: string[] = [];
  const hashes: string[] = [];
  const selectValues: string[] = [];
  const searched: string[] = [];
  const fields = clue.fields.map((field) => {
    const values = decodeFieldValues(field.type, field.valueAsText);
    if (field.type === FIELD_TYPE.phone) {
      const maskedValues = values.map(maskPhone);
      masked.push(...maskedValues);
      for (const value of values) {
        const digits = phoneDigits(value);
        if (digits !== "") hashes.push(phoneHash(digits));
      }
      return { ...field, valueAsText: values.length === 0 ? field.valueAsText : JSON.stringify(maskedValues) };
    }
    if (SELECT_TYPES.has(field.type)) for (const value of values) selectValues.push(`${field.field}=${value}`);
    if (SEARCHED_FIELD_KEYS.has(field.field)) searched.push(...values);
    return field;
  });
  if (clue.companyInfo) searched.push(clue.companyInfo.name);
  const record: StoredRecord = { ...clue, fields };
  const searchText = searched.join("\n").toLowerCase();
  const phonesMasked = masked.join(" ");
  return {
    customerId: clue.customerId,
    day: dayOf(clue),
    createTime: clue.createTime,
    lastUpdateTime: clue.lastUpdateTime,
    type: clue.type,
    isClue: clue.isClue,
    companyId: clue.companyInfo?.id ?? null,
    searchText,
    searchGrams: searchGrams(`${searchText}\n${phonesMasked}`),
    phonesMasked,
    phoneHashes: [...new Set(hashes)],
    tagIds: [...new Set(clue.tagIds)],
    selectValues: [...new Set(selectValues)],
    record,
  };
}
