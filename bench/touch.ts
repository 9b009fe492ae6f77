import { setTimeout as sleep } from "node:timers/promises";
import { nextTouchCheck } from "@/lib/clues/first-touch";
import { FairLimiter, LocalStartSlots } from "@/lib/tanma/fair-limiter";
import { DEFAULT_SEED } from "@/simulator/dataset";
import { firstPersonFollowUp, generateFollowUps } from "@/simulator/follow-ups";
import { createRandom } from "@/simulator/random";
import { parseChinaWallTime } from "@/lib/china-time";
import { round, roundSummary, summarize } from "./stats";

/**
 * `npx tsx bench/touch.ts`: the touch reader's cost, apart from the main bench (no build, no servers).
 *
 * 1. Calls a second at 2,000 new leads a day: each lead of one day is followed through the reader's schedule
 *    (lib/clues/first-touch.ts `nextTouchCheck`, TOUCH_POLL_INTERVAL_S = 300) over the simulator's own
 *    follow-ups (simulator/follow-ups.ts: 60 % touched within an hour, 20 % later, 20 % never) until it is
 *    touched or leaves the 7-day window; a check costs a call per 100 follow-ups. In the steady state every
 *    day's leads are at every age at once, so one day's leads' calls over their week are the calls of one day.
 * 2. Users' wait for Tanma with and without the reader: the client's limiter (TANMA_MAX_RPS = 10) under users'
 *    calls at half the budget, once alone and once beside the reader taking spare slots at TOUCH_MAX_RPS = 2,
 *    paced as lib/clues/store/touch-reader.ts paces it.
 */

const LEADS_PER_DAY = 2_000;
const POLL_MS = 300_000;
const WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;
const PAGE_SIZE = 100;

function readerCallsPerSecond(): { callsPerSecond: number; checksPerLead: number; touchedInWindow: number } {
  const random = createRandom(7);
  const dayStart = parseChinaWallTime("2025-06-18 00:00:00");
  const windowEnd = dayStart + WINDOW_DAYS * DAY_MS;
  let calls = 0;
  let checks = 0;
  let touched = 0;
  for (let i = 0; i < LEADS_PER_DAY; i++) {
    const createdMs = dayStart + Math.floor(random.next() * DAY_MS);
    const items = generateFollowUps({ seed: DEFAULT_SEED, customerId: 500_000_000_000_000 + i * 7919, createdAtSec: Math.floor(createdMs / 1000), tagNames: ["标签"] });
    const first = firstPersonFollowUp(items);
    const touchMs = first === undefined ? Infinity : parseChinaWallTime(first.createTime);
    for (let at = createdMs + POLL_MS; at < windowEnd; at = nextTouchCheck(createdMs, at, POLL_MS)) {
      const visible = items.filter((item) => parseChinaWallTime(item.createTime) <= at).length;
      calls += Math.max(1, Math.ceil(visible / PAGE_SIZE));
      checks++;
      if (touchMs <= at) {
        touched++;
        break;
      }
    }
  }
  return { callsPerSecond: round(calls / 86_400, 3), checksPerLead: round(checks / LEADS_PER_DAY, 1), touchedInWindow: touched };
}

const TANMA_MAX_RPS = 10;
const TOUCH_MAX_RPS = 2;
const WINDOW_MS = 1150;
const USER_RPS = 5;
const USERS = 5;
const CALL_MS = 60;
const RUN_MS = 40_000;

/** Milliseconds each user call waited for its start, over a run of RUN_MS, with or without the reader beside them. */
async function userWaits(withReader: boolean): Promise<{ waits: number[]; readerCalls: number }> {
  const limiter = new FairLimiter<string>(new LocalStartSlots(TANMA_MAX_RPS, WINDOW_MS));
  const random = createRandom(11);
  const waits: number[] = [];
  const pending: Promise<unknown>[] = [];
  const until = performance.now() + RUN_MS;
  let readerCalls = 0;
  const reader = (async () => {
    if (!withReader) return;
    const pace = new LocalStartSlots(TOUCH_MAX_RPS, WINDOW_MS);
    while (performance.now() < until) {
      const delay = pace.reserve();
      if (delay > 0) await sleep(delay);
      await limiter.runSpare(() => sleep(CALL_MS));
      readerCalls++;
    }
  })();
  while (performance.now() < until) {
    await sleep(-Math.log(1 - random.next()) * (1000 / USER_RPS));
    const queuedAt = performance.now();
    pending.push(limiter.run(`user${random.int(1, USERS)}`, async () => {
      waits.push(performance.now() - queuedAt);
      await sleep(CALL_MS);
    }));
  }
  await Promise.all([...pending, reader]);
  return { waits, readerCalls };
}

async function main() {
  const load = readerCallsPerSecond();
  console.log(`reader at ${LEADS_PER_DAY} leads a day: ${load.callsPerSecond} calls/s (${load.checksPerLead} checks a lead; ${load.touchedInWindow} of ${LEADS_PER_DAY} touched within the window)`);
  const alone = await userWaits(false);
  const beside = await userWaits(true);
  const a = roundSummary(summarize(alone.waits));
  const b = roundSummary(summarize(beside.waits));
  console.log(`user wait at the limiter without the reader: p50 ${a.p50} ms, p95 ${a.p95} ms (${a.n} calls)`);
  console.log(`user wait at the limiter with the reader:    p50 ${b.p50} ms, p95 ${b.p95} ms (${b.n} calls; reader ${round(beside.readerCalls / (RUN_MS / 1000), 2)} calls/s)`);
}

await main();
