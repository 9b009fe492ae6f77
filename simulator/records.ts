import { addDays, formatChinaWallTime } from "@/lib/china-time";
import type { UpstreamClue, UpstreamField } from "@/lib/tanma/schemas";
import { CUSTOM_FIELDS, customFieldKey, FIELD_TYPES_BY_KEY, STALE_ITEM_IDS, SYSTEM_FIELDS, UNKNOWN_FIELD_KEY } from "./dictionary";
import {
  BUILDING_SUFFIXES,
  COMPANY_BRANDS,
  COMPANY_CITIES,
  COMPANY_INDUSTRIES,
  DESCRIPTIONS,
  GIVEN_NAME_CHARS,
  REGIONS,
  REMARK_LINES,
  STREETS,
  SURNAMES,
  WECHAT_PREFIXES,
} from "./names";
import { BASE62, type Random } from "./random";

/** The content of one clue record: realistic fields, phones, tags and company, drawn from a seeded Random. */

export const HOUR_MS = 3_600_000;
const COMPANY_COUNT = 300;

export type Company = { id: number; name: string };

/**
 * Campaigns whose 活动名称 field only records created during the campaign carry, so the column is rare
 * overall (~2%) and shows up only once a page reaches that period. `daysAgo` is the start, relative to now.
 */
const CAMPAIGN_WINDOWS = [
  { daysAgo: 150, days: 4 },
  { daysAgo: 100, days: 3 },
  { daysAgo: 45, days: 3 },
  { daysAgo: 4, days: 1.5 },
];
const CAMPAIGN_SHARE_IN_WINDOW = 0.4;

const hourPrefixes = new Map<number, string>();
/**
 * `formatChinaWallTime`, with each hour's `YYYY-MM-DD HH:` formatted once: China's offset is a whole number
 * of hours, so minutes and seconds are the instant's own. The zone-aware formatter alone was the slowest step
 * of generating 100,000 records.
 */
export function wallTime(ms: number): string {
  const hour = Math.floor(ms / HOUR_MS);
  let prefix = hourPrefixes.get(hour);
  if (prefix === undefined) {
    prefix = formatChinaWallTime(hour * HOUR_MS).slice(0, "YYYY-MM-DD HH:".length);
    hourPrefixes.set(hour, prefix);
  }
  const withinHourSec = Math.floor((ms - hour * HOUR_MS) / 1000);
  return `${prefix}${pad2(Math.floor(withinHourSec / 60))}:${pad2(withinHourSec % 60)}`;
}
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** An instant in [fromMs, nowMs], skewed towards fromMs by `skew` (1 = uniform). */
export function laterThan(random: Random, fromMs: number, nowMs: number, skew: number): number {
  return fromMs + Math.floor(random.next() ** skew * Math.max(0, nowMs - fromMs));
}

export function companyPool(random: Random): Company[] {
  const names = new Set<string>();
  while (names.size < COMPANY_COUNT) {
    names.add(`${random.pick(COMPANY_CITIES)}${random.pick(COMPANY_BRANDS)}${random.pick(COMPANY_INDUSTRIES)}有限公司`);
  }
  // Company ids are snowflakes too, older than the clues (the vendor's example company is 410948476397632).
  let id = 410_948_476_397_632;
  return [...names].map((name) => {
    id += random.int(1, 50_000) * 4096;
    return { id, name };
  });
}

/** What every record of a tenant draws from. `now` anchors the campaign windows. */
export type RecordContext = {
  now: number;
  companies: readonly Company[];
  allTagIds: readonly string[];
  deletedTagIds: readonly string[];
};

/** Values a caller decides instead of drawing them (a lead added at run time with a given name, phone …). */
export type RecordChoices = {
  type?: 1 | 2;
  company?: Company;
  isClue?: boolean;
  tagIds?: readonly string[];
  /** valueAsText by field key. */
  fields?: Readonly<Record<string, string | null>>;
};

export function clueRecord(
  random: Random,
  ctx: RecordContext,
  { customerId, sec }: { customerId: number; sec: number },
  choices: RecordChoices = {},
): UpstreamClue {
  const type = choices.type ?? (random.chance(0.65) ? 1 : 2);
  // Squaring skews the pick so that some companies own dozens of clues and others a handful.
  const company =
    choices.company ??
    (type === 2 || random.chance(0.4) ? ctx.companies[Math.floor(random.next() ** 2 * ctx.companies.length)] : undefined);
  const createMs = sec * 1000;
  const createTime = wallTime(createMs);
  const tagIds = random.sample(ctx.allTagIds, random.weighted([0, 1, 2, 3, 4, 5], [30, 25, 20, 13, 8, 4]));
  if (random.chance(0.01)) tagIds.push(random.pick(ctx.deletedTagIds));
  const isClue = random.chance(0.6);
  const fields = clueFields(random, { createMs, company, type, now: ctx.now });
  const clue: UpstreamClue = {
    customerId,
    isClue: choices.isClue ?? isClue,
    type,
    fields: choices.fields === undefined ? fields : withFieldValues(fields, choices.fields),
    tagIds: choices.tagIds === undefined ? tagIds : [...choices.tagIds],
    createTime,
    lastUpdateTime: random.chance(0.5) ? createTime : wallTime(laterThan(random, createMs, ctx.now, 3)),
  };
  if (type === 2 && company !== undefined) clue.companyInfo = { id: company.id, name: company.name };
  return clue;
}

/** The record's fields with these keys' values replaced; a key the record lacks is appended with its dictionary type. */
export function withFieldValues(fields: readonly UpstreamField[], values: Readonly<Record<string, string | null>>): UpstreamField[] {
  const updated = fields.map((f) => (Object.hasOwn(values, f.field) ? { ...f, valueAsText: values[f.field] ?? null } : f));
  for (const [key, valueAsText] of Object.entries(values)) {
    const type = FIELD_TYPES_BY_KEY.get(key);
    if (!fields.some((f) => f.field === key) && type !== undefined) updated.push({ field: key, type, valueAsText });
  }
  return updated;
}

type FieldSpec = { type: number; items?: readonly { id: number }[] };
const field = (key: string, spec: FieldSpec, valueAsText: string | null): UpstreamField => ({
  field: key,
  type: spec.type,
  valueAsText,
});

/** The vendor example's 10 system keys in its order, then the tenant's custom fields, then rare extras. */
function clueFields(
  random: Random,
  { createMs, company, type, now }: { createMs: number; company: Company | undefined; type: number; now: number },
): UpstreamField[] {
  const unlessNull = (nullShare: number, value: () => string) => (random.chance(nullShare) ? null : value());
  const select = (spec: Required<FieldSpec>, nullShare: number, weights: readonly number[]) =>
    unlessNull(nullShare, () =>
      String(random.chance(0.005) ? random.pick(STALE_ITEM_IDS) : random.weighted(spec.items, weights).id),
    );
  const S = SYSTEM_FIELDS;
  const C = CUSTOM_FIELDS;
  const fields = [
    field("customer_source", S.customer_source, select(S.customer_source, 0.2, [20, 18, 15, 8, 10, 15, 9, 5])),
    field("description", S.description, unlessNull(0.25, () => random.pick(DESCRIPTIONS))),
    field("mobile", S.mobile, unlessNull(0.08, () => JSON.stringify(random.chance(0.1) ? [phone(random), phone(random)] : [phone(random)]))),
    field("address", S.address, unlessNull(0.2, () => address(random))),
    field("birthday", S.birthday, unlessNull(type === 1 ? 0.35 : 0.6, () => addDays("1965-01-01", random.int(0, 13_800)))),
    field("corp_name", S.corp_name, company?.name ?? null),
    field("name", S.name, unlessNull(0.04, () => personName(random))),
    field("purchase_intention", S.purchase_intention, select(S.purchase_intention, 0.25, [20, 35, 30, 15])),
    field("gender", S.gender, select(S.gender, 0.2, [45, 45, 10])),
    field("customer_stage", S.customer_stage, select(S.customer_stage, 0.1, [35, 25, 15, 10, 8, 7])),
    field(customFieldKey(C.product), C.product, unlessNull(0.3, () => productIds(random))),
    field(customFieldKey(C.budget), C.budget, unlessNull(0.35, () => random.pick(BUDGETS))),
    field(
      customFieldKey(C.nextFollowUp),
      C.nextFollowUp,
      unlessNull(0.3, () => wallTime(createMs + random.int(1, 14 * 24) * HOUR_MS)),
    ),
    field(customFieldKey(C.remark), C.remark, unlessNull(0.35, () => random.sample(REMARK_LINES, random.int(1, 4)).join("\n"))),
    field(customFieldKey(C.wechat), C.wechat, unlessNull(0.35, () => wechatId(random))),
  ];
  const campaign = CAMPAIGN_WINDOWS.findIndex(({ daysAgo, days }) => {
    const startMs = now - daysAgo * 24 * HOUR_MS;
    return createMs >= startMs && createMs < startMs + days * 24 * HOUR_MS;
  });
  const campaignItem = C.campaign.items[campaign];
  if (campaignItem !== undefined && random.chance(CAMPAIGN_SHARE_IN_WINDOW)) {
    fields.push(field(customFieldKey(C.campaign), C.campaign, String(campaignItem.id)));
  }
  if (random.chance(0.01)) fields.push(field(UNKNOWN_FIELD_KEY, { type: 1 }, `o${random.chars(`${BASE62}-_`, 27)}`));
  return fields;
}

const BUDGETS = ["1", "2", "3", "5", "8", "10", "12.5", "15", "20", "30", "50", "100"] as const;
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A mainland mobile number, as the generator draws them and the admin routes accept them. */
export const MOBILE_RE = /^1[3-9]\d{9}$/;
const phone = (random: Random) => `1${random.pick(["3", "4", "5", "6", "7", "8", "9"])}${random.chars("0123456789", 9)}`;

const personName = (random: Random) =>
  random.pick(SURNAMES) + random.pick(GIVEN_NAME_CHARS) + (random.chance(0.7) ? random.pick(GIVEN_NAME_CHARS) : "");

function address(random: Random): string {
  const region = random.pick(REGIONS);
  const city = region.city === region.province ? "" : region.city;
  const building = random.pick(BUILDING_SUFFIXES);
  const floor = building === "" ? "" : `${random.pick(COMPANY_BRANDS)}${building}${random.int(2, 28)}楼`;
  return `${region.province}${city}${random.pick(region.districts)}${random.pick(STREETS)}${random.int(1, 999)}号${floor}`;
}

function productIds(random: Random): string {
  const count = random.weighted([1, 2, 3], [60, 30, 10]);
  return JSON.stringify(random.sample(CUSTOM_FIELDS.product.items, count).map((item) => String(item.id)));
}

function wechatId(random: Random): string {
  const prefix = random.pick(WECHAT_PREFIXES);
  return prefix + random.chars(LOWER_ALNUM, prefix === "wxid_" ? 14 : random.int(6, 10));
}
