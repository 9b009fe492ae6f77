import type { ClueField, ClueItem } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/** How a clue and its fields read on screen, the same in the table, the detail and page titles. */

/** A field's display text: select labels joined with "、", everything else (phones too) with ", ". */
export function formatField(field: ClueField): string {
  return field.labels ? field.labels.join("、") : field.values.join(", ");
}

export function isEmptyField(field: ClueField): boolean {
  return field.values.length === 0 || field.values.every((v) => v.trim() === "");
}

/** The display text of the clue's field `key`; undefined when it has none or it is empty. */
export function fieldText(item: ClueItem, key: string): string | undefined {
  const f = item.fields.find((x) => x.key === key);
  if (f === undefined || isEmptyField(f)) return undefined;
  return formatField(f);
}

/** The name shown for a clue: its `name` field, else `corp_name`, else its company's name. */
export function clueDisplayName(item: ClueItem): string {
  return fieldText(item, "name") ?? fieldText(item, "corp_name") ?? item.company?.name ?? `#${item.customerId}`;
}

export function clueTypeLabel(type: number): string {
  return type === 2 ? copy.clueType.company : copy.clueType.person;
}

/** The company page, with the name as a hint for its title until its clues load. */
export function companyHref(company: { id: string; name: string }): string {
  return `/companies/${encodeURIComponent(company.id)}?name=${encodeURIComponent(company.name)}`;
}
