import type { Dictionary, DictionaryField } from "@/lib/clues/schema";

/**
 * Labels for Tanma's system field keys. Clue rows key fields by English names while the customer-field
 * dictionary keys them by numeric id + Chinese name, and the mapping between the two is not published;
 * these are the keys the vendor's docs name.
 */
export const SYSTEM_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "姓名",
  mobile: "手机号",
  gender: "性别",
  birthday: "生日",
  address: "地址",
  corp_name: "公司名称",
  description: "描述",
  customer_source: "客户来源",
  purchase_intention: "购买意向",
  customer_stage: "客户阶段",
};

/**
 * The dictionary field a clue field key refers to. INFERRED: a custom field's key ends in the field's
 * numeric id (`custom_401300000000001`) or equals its Chinese name; a key matching neither stays unmatched.
 */
export function dictionaryFieldForKey(key: string, fields: readonly DictionaryField[]): DictionaryField | undefined {
  const trailingId = /(\d{6,})$/.exec(key)?.[1];
  return fields.find((f) => f.id === trailingId) ?? fields.find((f) => f.name === key);
}

/** The label to show for a field key; an unknown key shows as itself, never hidden. */
export function fieldLabel(key: string, dictionary: Pick<Dictionary, "fieldLabels" | "fields"> | undefined): string {
  if (dictionary === undefined) return SYSTEM_FIELD_LABELS[key] ?? key;
  return dictionary.fieldLabels[key] ?? dictionaryFieldForKey(key, dictionary.fields)?.name ?? key;
}
