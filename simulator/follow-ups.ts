import { formatChinaWallTime } from "@/lib/china-time";
import type { UpstreamFollowUp } from "@/lib/tanma/schemas";
import { FOLLOW_UP_NOTES, OPERATORS, STAGE_NAMES } from "./names";
import { createRandom, mixSeed } from "./random";

/**
 * A clue's follow-ups, regenerated from (seed, customerId) on every call instead of stored: ~40% of clues
 * have 1–30 of them, so keeping them all would cost memory and startup time for data rarely read.
 *
 * INFERRED: follow-up `type` 1 = a note a salesperson wrote, 2 = a system record of a change; the vendor
 * shows both kinds (free text, and system text like `添加了客户的信息:\n“日期: 2021-07-20”`) without
 * naming the codes.
 */
export const FOLLOW_UP_TYPE = { note: 1, system: 2 } as const;

const FOLLOW_UP_SHARE = 0.4;
const MAX_FOLLOW_UPS = 30;
/** Follow-up ids are 15-digit and grow with time, like every Tanma id. */
const FOLLOW_UP_ID_BASE = 430_000_000_000_000;
const FOLLOW_UP_ID_EPOCH_SEC = 1_600_000_000;

export type FollowUpSource = { seed: number; now: number; customerId: number; createdAtSec: number; tagNames: readonly string[] };

/** Newest first (INFERRED: the vendor does not say; a timeline reads best newest first). */
export function generateFollowUps({ seed, now, customerId, createdAtSec, tagNames }: FollowUpSource): UpstreamFollowUp[] {
  const random = createRandom(mixSeed(seed, customerId));
  if (!random.chance(FOLLOW_UP_SHARE)) return [];
  // Skewed towards a few follow-ups, but ~18% of the clues that have any have more than 20 (a second page).
  const count = 1 + Math.floor(random.next() ** 2 * MAX_FOLLOW_UPS);
  const fromMs = createdAtSec * 1000;
  const times = Array.from({ length: count }, () => fromMs + Math.floor(random.next() * (now - fromMs))).sort(
    (a, b) => a - b,
  );
  const owner = random.pick(OPERATORS);
  let stage = 0;
  let previousId = 0;
  const items = times.map((ms): UpstreamFollowUp => {
    const sec = Math.floor(ms / 1000);
    const id = Math.max(FOLLOW_UP_ID_BASE + (sec - FOLLOW_UP_ID_EPOCH_SEC) * 65536 + random.int(0, 65535), previousId + 1);
    previousId = id;
    const createTime = formatChinaWallTime(sec * 1000);
    const operator = random.chance(0.8) ? owner : random.pick(OPERATORS);
    if (!random.chance(0.3)) return { id, type: FOLLOW_UP_TYPE.note, content: random.pick(FOLLOW_UP_NOTES), createTime, operator };
    let content: string;
    const kind = random.int(0, 2);
    if (kind === 0 && stage < STAGE_NAMES.length - 2) {
      content = `修改了客户阶段:\n“${STAGE_NAMES[stage]}” → “${STAGE_NAMES[stage + 1]}”`;
      stage++;
    } else if (kind === 1) {
      content = `添加了标签:\n“${random.pick(tagNames)}”`;
    } else {
      content = `添加了客户的信息:\n“日期: ${createTime.slice(0, 10)}”`;
    }
    return { id, type: FOLLOW_UP_TYPE.system, content, createTime, operator };
  });
  return items.reverse();
}
