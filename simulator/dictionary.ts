import { FIELD_TYPE } from "@/lib/tanma/field-types";
import type { UpstreamCustomerField, UpstreamTagGroup } from "@/lib/tanma/schemas";
import { BASE62, type Random } from "./random";
import { CAMPAIGNS, STAGE_NAMES } from "./names";

/**
 * The tenant's dictionaries: the customer-field list (`customer/list-fields`) and the tag tree
 * (`tags/list-tree`). Field ids are fixed so that custom field keys (`custom_<id>`) stay the same across
 * seeds; the app links a key to its dictionary field through that trailing id.
 */

type Item = { id: number; name: string };
type FieldSpec = { id: number; name: string; type: number; items?: Item[]; required?: boolean };

/** Select item ids look like the vendor's (`396823724189760`): 15-digit, snowflake-spaced. */
const itemIds = (first: number, names: readonly string[]): Item[] =>
  names.map((name, i) => ({ id: first + i * 4096, name }));

export const SYSTEM_FIELDS = {
  name: { id: 401200000000001, name: "姓名", type: FIELD_TYPE.text, required: true },
  mobile: { id: 401200000000002, name: "手机号", type: FIELD_TYPE.phone, required: true },
  gender: {
    id: 401200000000003,
    name: "性别",
    type: FIELD_TYPE.singleSelect,
    items: itemIds(396823724150784, ["男", "女", "未知"]),
  },
  birthday: { id: 401200000000004, name: "生日", type: FIELD_TYPE.date },
  address: { id: 401200000000005, name: "地址", type: FIELD_TYPE.text },
  corp_name: { id: 401200000000006, name: "公司名称", type: FIELD_TYPE.text },
  description: { id: 401200000000007, name: "描述", type: FIELD_TYPE.text },
  customer_source: {
    id: 401200000000008,
    name: "客户来源",
    type: FIELD_TYPE.singleSelect,
    items: itemIds(396823724171264, ["抖音广告", "百度推广", "官网表单", "展会", "老客户转介绍", "企微好友", "电话营销", "其他"]),
  },
  purchase_intention: {
    id: 401200000000009,
    name: "购买意向",
    type: FIELD_TYPE.singleSelect,
    // After 客户来源's last item (…199936): item ids are unique across fields, as a dictionary's are.
    items: itemIds(396823724216320, ["高", "中", "低", "无"]),
  },
  customer_stage: {
    id: 401200000000010,
    name: "客户阶段",
    type: FIELD_TYPE.singleSelect,
    items: itemIds(396823724189760, STAGE_NAMES),
  },
} satisfies Record<string, FieldSpec>;

export const CUSTOM_FIELDS = {
  product: {
    id: 401300000000001,
    name: "意向产品",
    type: FIELD_TYPE.multiSelect,
    items: itemIds(401244899840064, ["SCRM 标准版", "SCRM 专业版", "SCRM 旗舰版", "会话存档", "营销获客", "电销外呼", "私有化部署"]),
  },
  budget: { id: 401300000000002, name: "预算(万元)", type: FIELD_TYPE.number },
  nextFollowUp: { id: 401300000000003, name: "下次跟进时间", type: FIELD_TYPE.dateTime },
  remark: { id: 401300000000004, name: "备注", type: FIELD_TYPE.multiLineText },
  wechat: { id: 401300000000005, name: "微信号", type: FIELD_TYPE.text },
  campaign: {
    id: 401300000000006,
    name: "活动名称",
    type: FIELD_TYPE.singleSelect,
    items: itemIds(401300511088640, CAMPAIGNS),
  },
} satisfies Record<string, FieldSpec>;

/** The key a custom field has in clue rows. */
export const customFieldKey = (field: { id: number }) => `custom_${field.id}`;

/** The field type of every key the dictionary describes, as clue rows carry it. */
export const FIELD_TYPES_BY_KEY: ReadonlyMap<string, number> = new Map([
  ...Object.entries(SYSTEM_FIELDS).map(([key, f]): [string, number] => [key, f.type]),
  ...Object.values(CUSTOM_FIELDS).map((f): [string, number] => [customFieldKey(f), f.type]),
]);

/** Select item ids that records still carry after the option was deleted from the dictionary. */
export const STALE_ITEM_IDS = [396800000000001, 396800000004097, 396800000008193] as const;

/** A field key that no dictionary entry describes (a WeCom union id synced by an integration). */
export const UNKNOWN_FIELD_KEY = "wx_unionid";

export function customerFields(): UpstreamCustomerField[] {
  const system = Object.values(SYSTEM_FIELDS).map((f: FieldSpec) => toDictionaryEntry(f, true));
  const custom = Object.values(CUSTOM_FIELDS).map((f: FieldSpec) => toDictionaryEntry(f, false));
  return [...system, ...custom];
}

/** INFERRED: `stable` marks built-in fields, `outerField` fields synced from outside (none here). */
function toDictionaryEntry(f: FieldSpec, stable: boolean): UpstreamCustomerField {
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    ...(f.items === undefined ? {} : { items: f.items }),
    outerField: false,
    stable,
    customerImportRequired: f.required === true,
  };
}

const TAG_GROUPS: readonly { name: string; tags: readonly string[] }[] = [
  { name: "客户等级", tags: ["A类客户", "B类客户", "C类客户", "D类客户"] },
  { name: "意向产品", tags: ["SCRM", "会话存档", "营销获客", "电销外呼", "私有化"] },
  { name: "来源渠道", tags: ["抖音", "百度", "官网", "展会", "转介绍", "公众号"] },
  { name: "行业", tags: ["教育", "零售", "医疗", "金融", "制造", "餐饮", "互联网", "房产"] },
  { name: "跟进状态", tags: ["待跟进", "跟进中", "已报价", "已成交", "已流失"] },
  { name: "地区", tags: ["华东", "华南", "华北", "西南", "华中", "西北"] },
];

export type TagDictionary = { tree: UpstreamTagGroup[]; deletedTagIds: string[] };

/**
 * WeCom tag ids are `et` + 30 base62 characters, and a tenant's ids share a corp-specific stretch after the
 * prefix (the vendor's `etvRo3DwAA7XiFifIv16YLb67KkCx9Ow` and `etvRo3DwAAum4AEpERyhywF2pdCA5JwQ`).
 */
export function tagDictionary(random: Random): TagDictionary {
  const corp = `et${random.chars(BASE62, 6)}AA`;
  const qwTagId = () => corp + random.chars(BASE62, 22);
  let nextId = 402100000000001;
  const tree = TAG_GROUPS.map((group) => ({
    id: nextId++,
    name: group.name,
    qwTagId: qwTagId(),
    tags: group.tags.map((name) => ({ id: nextId++, name, qwTagId: qwTagId() })),
  }));
  return { tree, deletedTagIds: [qwTagId(), qwTagId(), qwTagId()] };
}
