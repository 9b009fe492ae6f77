import { TZDate } from "@date-fns/tz";
import { addDays, CHINA_TIME_ZONE, chinaToday, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import type { UpstreamClue, UpstreamCustomerField, UpstreamFollowUp, UpstreamTagGroup } from "@/lib/tanma/schemas";
import { customerFields, tagDictionary } from "./dictionary";
import { byNewestFirst, generateFollowUps } from "./follow-ups";
import { createRandom, mixSeed, type Random } from "./random";
import {
  clueRecord,
  companyPool,
  HOUR_MS,
  laterThan,
  wallTime,
  withFieldValues,
  type Company,
  type RecordChoices,
  type RecordContext,
} from "./records";

export type { Company } from "./records";

export const DEFAULT_SEED = 20210511;
export const HISTORY_DAYS = 180;
/** The volume the default data was made with: 24,000 clues over HISTORY_DAYS. */
export const DEFAULT_LEADS_PER_DAY = 24_000 / HISTORY_DAYS;
/** 360,000 clues (about 0.7 GB of heap): past what the lead store is tried at, short of exhausting memory. */
export const MAX_LEADS_PER_DAY = 2_000;

/** Relative lead volume per China hour of day: office hours, a lunch dip, a quiet night. */
const HOUR_WEIGHTS = [
  0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.15, 0.4, 0.9, 1.6, 1.9, 1.8, 1.0, 1.2, 1.8, 1.9, 1.7, 1.4, 0.9, 0.7, 0.6,
  0.5, 0.3, 0.12,
];
const WEEKEND_FACTOR = 0.35;
/** Share of timestamps that are a batch import: several records created in the same second. */
const BATCH_SHARE = 0.015;
/** Records placed in the last hour, so "today" and "just now" views always have rows. */
const LAST_HOUR_RECORDS = 6;
/** Snowflake-like ids, starting at the vendor example's and advancing 2048 per millisecond as theirs do. */
const CUSTOMER_ID_BASE = 410_983_932_389_440;
const IDS_PER_MS = 2048;

export type DatasetOptions = {
  /** Epoch ms the history ends at (its "now"). */
  now?: number;
  seed?: number;
  /** Average clues per China day over the history; weekdays and recent weeks get more. */
  leadsPerDay?: number;
};

/** A tenant's changes to one clue; `fields` values are `valueAsText`, null clears a field. */
export type ClueUpdate = { fields?: Readonly<Record<string, string | null>>; tagIds?: readonly string[] };

/**
 * The simulated tenant's data: the clue list, kept ascending by (createTime, customerId), and its
 * dictionaries. Generated from a seed, then changed at run time (leads arrive, are edited, leave). Customer
 * ids ascend with the list too, so a clue is found by binary search and a page costs O(log n + size).
 * Records are replaced, never mutated, so a record a caller holds does not change under it.
 */
export class Dataset {
  constructor(
    readonly now: number,
    readonly seed: number,
    readonly companies: readonly Company[],
    readonly tagTree: UpstreamTagGroup[],
    readonly customerFields: UpstreamCustomerField[],
    readonly recordContext: RecordContext,
    /** Where customer ids are anchored: CUSTOMER_ID_BASE is the id of an instant here. */
    private readonly idEpochMs: number,
    /** 转客户时间 of the ~15% of generated clues that became customers. */
    private readonly convertTimes: ReadonlyMap<number, string>,
    private readonly list: UpstreamClue[],
    /** Epoch second of each clue's createTime, parallel to `list`. */
    private readonly seconds: number[],
  ) {}

  /** Follow-ups added by hand (`POST /__sim/clues/{id}/follow-ups`), by clue. */
  private readonly addedFollowUps = new Map<number, UpstreamFollowUp[]>();

  /** Ascending by (createTime, customerId). Changes in place as the tenant does. */
  get clues(): readonly UpstreamClue[] {
    return this.list;
  }

  /** Epoch second of each clue's createTime, parallel to `clues`, so pages are found by binary search. */
  get createdAtSec(): readonly number[] {
    return this.seconds;
  }

  /** Position of a clue in `clues`. */
  indexOf(customerId: number): number | undefined {
    const i = binarySearch(this.list.length, (i) => (this.list[i]?.customerId ?? 0) >= customerId);
    return this.list[i]?.customerId === customerId ? i : undefined;
  }

  find(customerId: number): UpstreamClue | undefined {
    const index = this.indexOf(customerId);
    return index === undefined ? undefined : this.list[index];
  }

  /** 转客户时间: set for the ~15% of generated clues that became customers. */
  convertCustomerTime(customerId: number): string | null {
    return this.convertTimes.get(customerId) ?? null;
  }

  /**
   * The clue's follow-ups up to the tenant's `nowMs`, newest first by (createTime, id): those of its life
   * (regenerated from the seed) and those added by hand. None for an unknown clue.
   */
  followUpsOf(customerId: number, nowMs: number): UpstreamFollowUp[] {
    const index = this.indexOf(customerId);
    const createdAtSec = index === undefined ? undefined : this.seconds[index];
    if (createdAtSec === undefined) return [];
    const tagNames = this.tagTree.flatMap((group) => group.tags.map((tag) => tag.name));
    const until = formatChinaWallTime(nowMs);
    const lived = generateFollowUps({ seed: this.seed, customerId, createdAtSec, tagNames }).filter((item) => item.createTime <= until);
    const added = this.addedFollowUps.get(customerId);
    return added === undefined ? lived : [...lived, ...added.filter((item) => item.createTime <= until)].sort(byNewestFirst);
  }

  /** Records a follow-up written now (or at its createTime) on a clue; false for an unknown clue. */
  addFollowUp(customerId: number, item: UpstreamFollowUp): boolean {
    if (this.indexOf(customerId) === undefined) return false;
    const added = this.addedFollowUps.get(customerId) ?? [];
    added.push(item);
    this.addedFollowUps.set(customerId, added);
    return true;
  }

  /** The first position whose createTime is at or after epoch second `sec`. */
  firstAtOrAfter(sec: number): number {
    return binarySearch(this.seconds.length, (i) => (this.seconds[i] ?? 0) >= sec);
  }

  /** Every clue created in [sinceSec, beforeSec), ascending, of one type or both. */
  between(sinceSec: number, beforeSec: number, type?: 1 | 2): UpstreamClue[] {
    const range = this.list.slice(this.firstAtOrAfter(sinceSec), this.firstAtOrAfter(beforeSec));
    return type === undefined ? range : range.filter((clue) => clue.type === type);
  }

  /**
   * A new clue created at `createMs`, drawn like the generated ones (its content seeded by its id) with the
   * given choices. Its id is a snowflake of that instant (`random` draws the low bits), moved just enough to
   * fall between its neighbours', so ids keep ascending with the list.
   */
  insert(createMs: number, random: Random, choices: RecordChoices = {}): UpstreamClue {
    const sec = Math.floor(createMs / 1000);
    const at = this.firstAtOrAfter(sec + 1);
    const lowest = (this.list[at - 1]?.customerId ?? 0) + 1;
    const highest = (this.list[at]?.customerId ?? Number.MAX_SAFE_INTEGER) - 1;
    if (lowest > highest) throw new Error(`no customer id left between ${lowest - 1} and ${highest + 1}`);
    const drawn = snowflakeId(Math.floor(createMs) - this.idEpochMs, random);
    const customerId = Math.min(Math.max(drawn, lowest), highest);
    const clue = clueRecord(createRandom(mixSeed(this.seed, customerId)), this.recordContext, { customerId, sec }, choices);
    this.list.splice(at, 0, clue);
    this.seconds.splice(at, 0, sec);
    return clue;
  }

  /** The clue with the update applied and `lastUpdateTime` at `nowMs`; undefined for an unknown id. */
  update(customerId: number, update: ClueUpdate, nowMs: number): UpstreamClue | undefined {
    const index = this.indexOf(customerId);
    const clue = index === undefined ? undefined : this.list[index];
    if (index === undefined || clue === undefined) return undefined;
    const updated: UpstreamClue = {
      ...clue,
      fields: update.fields === undefined ? clue.fields : withFieldValues(clue.fields, update.fields),
      tagIds: update.tagIds === undefined ? clue.tagIds : [...update.tagIds],
      lastUpdateTime: wallTime(nowMs),
    };
    this.list[index] = updated;
    return updated;
  }

  /** Takes a clue off the list (converted or deleted); false for an unknown id. */
  remove(customerId: number): boolean {
    const index = this.indexOf(customerId);
    if (index === undefined) return false;
    this.list.splice(index, 1);
    this.seconds.splice(index, 1);
    return true;
  }
}

export function generateDataset({ now = Date.now(), seed = DEFAULT_SEED, leadsPerDay = DEFAULT_LEADS_PER_DAY }: DatasetOptions = {}): Dataset {
  if (!(leadsPerDay > 0 && leadsPerDay <= MAX_LEADS_PER_DAY)) {
    throw new RangeError(`leadsPerDay must be above 0 and at most ${MAX_LEADS_PER_DAY}, got ${leadsPerDay}`);
  }
  const random = createRandom(seed);
  const tags = tagDictionary(random);
  const companies = companyPool(random);
  const createdAtMs = creationTimes(random, now, Math.round(leadsPerDay * HISTORY_DAYS));
  const idEpochMs = createdAtMs[0] ?? now;
  const context: RecordContext = {
    now,
    companies,
    allTagIds: tags.tree.flatMap((group) => group.tags.map((tag) => tag.qwTagId)),
    deletedTagIds: tags.deletedTagIds,
  };
  const clues: UpstreamClue[] = [];
  const seconds: number[] = [];
  const convertTimes = new Map<number, string>();
  let previousId = 0;
  for (const ms of createdAtMs) {
    const customerId = Math.max(snowflakeId(ms - idEpochMs, random), previousId + 1);
    previousId = customerId;
    const sec = Math.floor(ms / 1000);
    clues.push(clueRecord(random, context, { customerId, sec }));
    seconds.push(sec);
    if (random.chance(0.15)) convertTimes.set(customerId, wallTime(laterThan(random, sec * 1000, now, 1)));
  }
  return new Dataset(now, seed, companies, tags.tree, customerFields(), context, idEpochMs, convertTimes, clues, seconds);
}

/** A customer id for an instant `sinceEpochMs` after the id epoch; `random` draws its low bits. */
const snowflakeId = (sinceEpochMs: number, random: Random) =>
  CUSTOMER_ID_BASE + sinceEpochMs * IDS_PER_MS + random.int(0, IDS_PER_MS - 1);

/** Smallest i in [0, n] for which `isPast(i)` holds, given it is false up to some point and true after. */
export function binarySearch(n: number, isPast: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isPast(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Creation instants (epoch ms, ascending) for `count` records over the last HISTORY_DAYS China days up to
 * `now`: denser on weekdays, in office hours and in recent weeks; batches share a second.
 */
function creationTimes(random: Random, now: number, count: number): Float64Array {
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
    // Cumulative rounding makes the per-day counts add up to exactly `count`.
    const before = Math.round((cumulative / totalWeight) * count);
    cumulative += day.weight;
    let remaining = Math.round((cumulative / totalWeight) * count) - before;
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
