import { formatChinaWallTime } from "@/lib/china-time";
import type { UpstreamFollowUp } from "@/lib/tanma/schemas";
import { FOLLOW_UP_NOTES, OPERATORS, STAGE_NAMES } from "./names";
import { createRandom, mixSeed, type Random } from "./random";

/**
 * A clue's follow-ups over its whole life, regenerated from (seed, customerId) on every call instead of stored;
 * the tenant's clock decides which of them have happened yet (`followUpsAt`), so a new lead gets its first
 * touch while the desk watches, the same one on every run with the same seed.
 *
 * A first person follow-up comes for ~60% of clues within an hour of creation, for ~20% later (up to a few
 * days), and never for the rest. System entries, written with an empty `qwUserId` (Tanma writes them when the
 * API or an import changes a clue, such as "添加了客户的信息…"), come before and after it: a first touch is
 * the earliest entry of an operator with a `qwUserId`, never one of these.
 *
 * INFERRED: follow-up `type` 1 = a note a salesperson wrote, 2 = a record of a change; the vendor shows both
 * kinds (free text, and text like `添加了客户的信息:\n“日期: 2021-07-20”`) without naming the codes. A change
 * a salesperson made carries them as operator; one the system made carries an empty `qwUserId`.
 */
export const FOLLOW_UP_TYPE = { note: 1, system: 2 } as const;

/** Who writes system entries: Tanma itself, the API, an import. */
export const SYSTEM_OPERATOR = { qwUserId: "", name: "系统" } as const;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WITHIN_HOUR_SHARE = 0.6;
const LATER_SHARE = 0.2;
/** Latest a "later" first touch comes: past the touch reader's default window of 7 days for a few. */
const LATEST_FIRST_TOUCH_MS = 8 * DAY_MS;
/** Person follow-ups after the first, spread over the following weeks. */
const MAX_FURTHER_FOLLOW_UPS = 29;
const FURTHER_SPAN_MS = 60 * DAY_MS;
/** Follow-up ids are 15-digit and grow with time, like every Tanma id. */
const FOLLOW_UP_ID_BASE = 430_000_000_000_000;
const FOLLOW_UP_ID_EPOCH_SEC = 1_600_000_000;

export type FollowUpSource = { seed: number; customerId: number; createdAtSec: number; tagNames: readonly string[] };

type Draft = { ms: number; operator: { qwUserId: string; name: string }; draw: (random: Random, createTime: string) => { type: number; content: string } };

/** Every follow-up the clue will ever get, newest first, by (createTime, id). */
export function generateFollowUps({ seed, customerId, createdAtSec, tagNames }: FollowUpSource): UpstreamFollowUp[] {
  const random = createRandom(mixSeed(seed, customerId, 0xf011));
  const createdMs = createdAtSec * 1000;
  const drafts: Draft[] = [];
  const systemInfo = (_random: Random, createTime: string) => ({
    type: FOLLOW_UP_TYPE.system,
    content: `添加了客户的信息:\n“日期: ${createTime.slice(0, 10)}”`,
  });
  // An import or the API writes a system entry within seconds of most new leads: before any person.
  if (random.chance(0.6)) drafts.push({ ms: createdMs + random.int(0, 30_000), operator: SYSTEM_OPERATOR, draw: systemInfo });

  const kind = random.next();
  const firstTouchMs =
    kind < WITHIN_HOUR_SHARE
      ? createdMs + MINUTE_MS + Math.floor(random.next() ** 1.5 * 59 * MINUTE_MS)
      : kind < WITHIN_HOUR_SHARE + LATER_SHARE
        ? createdMs + HOUR_MS + Math.floor(random.next() ** 2 * (LATEST_FIRST_TOUCH_MS - HOUR_MS))
        : undefined;
  if (firstTouchMs === undefined) {
    for (let i = random.int(0, 2); i > 0; i--) {
      drafts.push({ ms: createdMs + Math.floor(random.next() * 30 * DAY_MS), operator: SYSTEM_OPERATOR, draw: systemInfo });
    }
  } else {
    const owner = random.pick(OPERATORS);
    let stage = 0;
    const personEntry = (random: Random): { type: number; content: string } => {
      if (!random.chance(0.3)) return { type: FOLLOW_UP_TYPE.note, content: random.pick(FOLLOW_UP_NOTES) };
      if (random.chance(0.5) && stage < STAGE_NAMES.length - 2) {
        stage++;
        return { type: FOLLOW_UP_TYPE.system, content: `修改了客户阶段:\n“${STAGE_NAMES[stage - 1]}” → “${STAGE_NAMES[stage]}”` };
      }
      return { type: FOLLOW_UP_TYPE.system, content: `添加了标签:\n“${random.pick(tagNames)}”` };
    };
    drafts.push({ ms: firstTouchMs, operator: owner, draw: personEntry });
    // Skewed towards a few more, but some clues get more than 20 (a second page).
    const further = Math.floor(random.next() ** 2 * (MAX_FURTHER_FOLLOW_UPS + 1));
    for (let i = 0; i < further; i++) {
      const ms = firstTouchMs + 1000 + Math.floor(random.next() * FURTHER_SPAN_MS);
      if (random.chance(0.1)) drafts.push({ ms, operator: SYSTEM_OPERATOR, draw: systemInfo });
      else drafts.push({ ms, operator: random.chance(0.8) ? owner : random.pick(OPERATORS), draw: personEntry });
    }
  }

  drafts.sort((a, b) => a.ms - b.ms);
  let previousId = 0;
  const items = drafts.map(({ ms, operator, draw }): UpstreamFollowUp => {
    const sec = Math.floor(ms / 1000);
    const id = Math.max(FOLLOW_UP_ID_BASE + (sec - FOLLOW_UP_ID_EPOCH_SEC) * 65536 + random.int(0, 65535), previousId + 1);
    previousId = id;
    const createTime = formatChinaWallTime(sec * 1000);
    return { id, ...draw(random, createTime), createTime, operator: { ...operator } };
  });
  return items.reverse();
}

/** Newest first by (createTime, id), as the list endpoint pages them. */
export function byNewestFirst(a: UpstreamFollowUp, b: UpstreamFollowUp): number {
  return a.createTime === b.createTime ? Number(b.id) - Number(a.id) : a.createTime < b.createTime ? 1 : -1;
}

/** The earliest follow-up written by a person (an operator with a `qwUserId`), if any: the clue's first touch. */
export function firstPersonFollowUp(items: readonly UpstreamFollowUp[]): UpstreamFollowUp | undefined {
  let first: UpstreamFollowUp | undefined;
  for (const item of items) {
    if (!item.operator?.qwUserId) continue;
    if (first === undefined || byNewestFirst(item, first) > 0) first = item;
  }
  return first;
}
