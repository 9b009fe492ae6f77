import { TZDate } from "@date-fns/tz";
import { addDays, CHINA_TIME_ZONE, chinaToday, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import type {
  UpstreamClue,
  UpstreamCustomerField,
  UpstreamField,
  UpstreamFollowUp,
  UpstreamTagGroup,
} from "@/lib/tanma/schemas";
import {
  CUSTOM_FIELDS,
  customerFields,
  customFieldKey,
  STALE_ITEM_IDS,
  SYSTEM_FIELDS,
  tagDictionary,
  UNKNOWN_FIELD_KEY,
} from "./dictionary";
import { generateFollowUps } from "./follow-ups";
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
import { BASE62, createRandom, type Random } from "./random";

export const DEFAULT_SEED = 20210511;
export const CLUE_COUNT = 24_000;
export const HISTORY_DAYS = 180;
const COMPANY_COUNT = 300;

export type Company = { id: number; name: string };

export type Dataset = {
  now: number;
  seed: number;
  /** Ascending by (createTime, customerId). */
  clues: readonly UpstreamClue[];
  /** Epoch second of each clue's createTime, parallel to `clues`, so pages are found by binary search. */
  createdAtSec: Float64Array;
  companies: readonly Company[];
  tagTree: UpstreamTagGroup[];
  customerFields: UpstreamCustomerField[];
  /** Position of a clue in `clues`. */
  indexOf(customerId: number): number | undefined;
  /** 转客户时间: set for the ~15% of clues that became customers. */
  convertCustomerTime(customerId: number): string | null;
  /** The clue's follow-ups, newest first; empty for an unknown clue. */
  followUpsOf(customerId: number): UpstreamFollowUp[];
};

/** Relative lead volume per China hour of day: office hours, a lunch dip, a quiet night. */
const HOUR_WEIGHTS = [
  0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.15, 0.4, 0.9, 1.6, 1.9, 1.8, 1.0, 1.2, 1.8, 1.9, 1.7, 1.4, 0.9, 0.7, 0.6,
  0.5, 0.3, 0.12,
];
const HOUR_MS = 3_600_000;
const WEEKEND_FACTOR = 0.35;
/** Share of timestamps that are a batch import: several records created in the same second. */
const BATCH_SHARE = 0.015;
/** Records placed in the last hour, so "today" and "just now" views always have rows. */
const LAST_HOUR_RECORDS = 6;
/** Snowflake-like ids, starting at the vendor example's and advancing 2048 per millisecond as theirs do. */
const CUSTOMER_ID_BASE = 410_983_932_389_440;
const IDS_PER_MS = 2048;

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

export function generateDataset({ now = Date.now(), seed = DEFAULT_SEED }: { now?: number; seed?: number } = {}): Dataset {
  const random = createRandom(seed);
  const tags = tagDictionary(random);
  const companies = companyPool(random);
  const createdAtMs = creationTimes(random, now);
  const windowStartMs = createdAtMs[0] ?? now;
  const allTagIds = tags.tree.flatMap((group) => group.tags.map((tag) => tag.qwTagId));
  const tagNames = tags.tree.flatMap((group) => group.tags.map((tag) => tag.name));

  const clues: UpstreamClue[] = [];
  const createdAtSec = new Float64Array(createdAtMs.length);
  const positions = new Map<number, number>();
  const convertTimes = new Map<number, string>();
  let previousId = 0;
  createdAtMs.forEach((ms, index) => {
    const customerId = Math.max(CUSTOMER_ID_BASE + (ms - windowStartMs) * IDS_PER_MS + random.int(0, IDS_PER_MS - 1), previousId + 1);
    previousId = customerId;
    const sec = Math.floor(ms / 1000);
    createdAtSec[index] = sec;
    positions.set(customerId, index);
    clues.push(clueRecord(random, { customerId, sec, now, companies, allTagIds, deletedTagIds: tags.deletedTagIds }));
    if (random.chance(0.15)) convertTimes.set(customerId, formatChinaWallTime(laterThan(random, sec * 1000, now, 1)));
  });

  return {
    now,
    seed,
    clues,
    createdAtSec,
    companies,
    tagTree: tags.tree,
    customerFields: customerFields(),
    indexOf: (customerId) => positions.get(customerId),
    convertCustomerTime: (customerId) => convertTimes.get(customerId) ?? null,
    followUpsOf(customerId) {
      const index = positions.get(customerId);
      if (index === undefined) return [];
      return generateFollowUps({ seed, now, customerId, createdAtSec: createdAtSec[index] ?? 0, tagNames });
    },
  };
}

/**
 * Creation instants (epoch ms, ascending) for ~CLUE_COUNT records over the last HISTORY_DAYS China days up to
 * `now`: denser on weekdays, in office hours and in recent weeks; batches share a second.
 */
function creationTimes(random: Random, now: number): Float64Array {
  const today = chinaToday(now);
  const days = Array.from({ length: HISTORY_DAYS }, (_, age) => {
    const startMs = parseChinaWallTime(addDays(today, -age));
    const endMs = age === 0 ? now : parseChinaWallTime(addDays(today, 1 - age));
    // China has had no DST since 1991, so a China day is 24 equal hours from its start.
    const hourWeights = HOUR_WEIGHTS.map((w, h) => w * Math.min(1, Math.max(0, (endMs - (startMs + h * HOUR_MS)) / HOUR_MS)));
    const weekday = new TZDate(startMs, CHINA_TIME_ZONE).getDay();
    const dayFactor = (weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : 1) * (1.2 - (0.4 * age) / HISTORY_DAYS);
    return { startMs, endMs, hourWeights, weight: dayFactor * hourWeights.reduce((a, b) => a + b, 0) };
  });
  const totalWeight = days.reduce((sum, day) => sum + day.weight, 0);
  const hours = HOUR_WEIGHTS.map((_, h) => h);

  const times: number[] = [];
  let cumulative = 0;
  for (const day of days) {
    // Cumulative rounding makes the per-day counts add up to exactly CLUE_COUNT.
    const before = Math.round((cumulative / totalWeight) * CLUE_COUNT);
    cumulative += day.weight;
    let remaining = Math.round((cumulative / totalWeight) * CLUE_COUNT) - before;
    while (remaining > 0) {
      const hourStart = day.startMs + random.weighted(hours, day.hourWeights) * HOUR_MS;
      const ms = hourStart + Math.floor(random.next() * (Math.min(hourStart + HOUR_MS, day.endMs) - hourStart));
      const batch = random.chance(BATCH_SHARE) ? Math.min(remaining, random.int(2, 5)) : 1;
      times.push(...sameSecond(random, ms, batch, day.endMs));
      remaining -= batch;
    }
  }

  const lastHourStart = Math.max(parseChinaWallTime(today), now - HOUR_MS);
  if (now - lastHourStart >= 2000) {
    for (let i = 0; i < LAST_HOUR_RECORDS - 2; i++) times.push(lastHourStart + Math.floor(random.next() * (now - lastHourStart)));
    times.push(...sameSecond(random, lastHourStart + Math.floor(random.next() * (now - lastHourStart)), 2, now));
  }
  return Float64Array.from(times).sort();
}

/** `count` instants within the second of `ms`, all before `endMs`. */
function sameSecond(random: Random, ms: number, count: number, endMs: number): number[] {
  const secondStart = ms - (ms % 1000);
  const span = Math.min(1000, endMs - secondStart);
  return Array.from({ length: count }, () => secondStart + Math.floor(random.next() * span));
}

/** An instant in [fromMs, nowMs], skewed towards fromMs by `skew` (1 = uniform). */
function laterThan(random: Random, fromMs: number, nowMs: number, skew: number): number {
  return fromMs + Math.floor(random.next() ** skew * Math.max(0, nowMs - fromMs));
}

function companyPool(random: Random): Company[] {
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

type ClueContext = {
  customerId: number;
  sec: number;
  now: number;
  companies: readonly Company[];
  allTagIds: readonly string[];
  deletedTagIds: readonly string[];
};

function clueRecord(random: Random, ctx: ClueContext): UpstreamClue {
  const type = random.chance(0.65) ? 1 : 2;
  // Squaring skews the pick so that some companies own dozens of clues and others a handful.
  const company = type === 2 || random.chance(0.4) ? ctx.companies[Math.floor(random.next() ** 2 * ctx.companies.length)] : undefined;
  const createMs = ctx.sec * 1000;
  const createTime = formatChinaWallTime(createMs);
  const tagIds = random.sample(ctx.allTagIds, random.weighted([0, 1, 2, 3, 4, 5], [30, 25, 20, 13, 8, 4]));
  if (random.chance(0.01)) tagIds.push(random.pick(ctx.deletedTagIds));
  const clue: UpstreamClue = {
    customerId: ctx.customerId,
    isClue: random.chance(0.6),
    type,
    fields: clueFields(random, { createMs, company, type, now: ctx.now }),
    tagIds,
    createTime,
    lastUpdateTime: random.chance(0.5) ? createTime : formatChinaWallTime(laterThan(random, createMs, ctx.now, 3)),
  };
  if (type === 2 && company !== undefined) clue.companyInfo = { id: company.id, name: company.name };
  return clue;
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
      unlessNull(0.3, () => formatChinaWallTime(createMs + random.int(1, 14 * 24) * HOUR_MS)),
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
