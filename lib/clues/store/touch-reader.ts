import "server-only";
import { markDaysChanged } from "@/lib/clues/store/day-versions";
import { setTimeout as sleep } from "node:timers/promises";
import { and, desc, eq, gt, gte, isNull, lte, or } from "drizzle-orm";
import { addDays, chinaToday, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import { earliestPersonFollowUp, type FirstTouch, nextTouchCheck } from "@/lib/clues/first-touch";
import { MAX_PAGE_SIZE } from "@/lib/clues/limits";
import { normalizeCursor } from "@/lib/clues/normalize";
import { clues } from "@/lib/clues/store/tables";
import { cluesDb } from "@/lib/clues/store/tenant";
import { serverEnv } from "@/lib/env";
import { listClueFollowUps } from "@/lib/tanma/client";
import { TanmaError, UpstreamBusyError } from "@/lib/tanma/errors";
import { LocalStartSlots } from "@/lib/tanma/fair-limiter";

/**
 * The touch reader: finds each new lead's first touch, the earliest follow-up a person wrote on it, since
 * Tanma does not push follow-ups. It runs on the instance that follows today (sync.ts's lease), so several
 * instances read once.
 *
 * It reads the untouched leads of the last `TOUCH_WINDOW_DAYS` days on a schedule by age: a lead checked at
 * age `a` without a touch is checked next at `a + max(TOUCH_POLL_INTERVAL_S, a / 4)` (first at the poll
 * interval), so a touch at age `t` is known within `max(interval, t / 4)` of it, and a week-old lead costs a
 * call every day or two. A touched lead is never read again.
 *
 * Its calls take only the slots of Tanma's budget no user waits for (`spare`), at most `TOUCH_MAX_RPS` of
 * them, one at a time. A check reads every page of a lead's follow-ups and takes the earliest person entry of
 * all, in whatever order they come. A failed check changes nothing about the lead but when it is tried again
 * (one poll interval later): it never marks a lead untouched that was touched.
 */

export type TouchConfig = { windowDays: number; pollMs: number; maxRps: number; slaMinutes: number };

export function touchConfig(): TouchConfig {
  const e = serverEnv();
  return {
    windowDays: e.TOUCH_WINDOW_DAYS,
    pollMs: Math.round(e.TOUCH_POLL_INTERVAL_S * 1000),
    // Never more than Tanma's whole budget.
    maxRps: Math.min(e.TOUCH_MAX_RPS, e.TANMA_MAX_RPS),
    slaMinutes: e.TOUCH_SLA_MINUTES,
  };
}

/** Due leads fetched at once; a pass takes batches until none is due or its budget is spent. */
const DUE_BATCH = 50;
/** The window reservations of the reader's own pace are measured over, as the Tanma client's are. */
const PACE_WINDOW_MS = 1150;

type ReaderState = { pace?: { rps: number; slots: LocalStartSlots }; reading?: Promise<unknown> };
const globalReader = globalThis as typeof globalThis & { __clueDeskTouchReader?: ReaderState };
const readerState = (): ReaderState => (globalReader.__clueDeskTouchReader ??= {});

/** Waits for the reader's next start within `TOUCH_MAX_RPS` (the spare slot is waited for after it). */
async function pace(rps: number): Promise<void> {
  const state = readerState();
  if (state.pace?.rps !== rps) state.pace = { rps, slots: new LocalStartSlots(Math.max(1, Math.floor(rps)), Math.max(1, Math.floor(rps)) * (PACE_WINDOW_MS / rps)) };
  const waitMs = state.pace.slots.reserve();
  if (waitMs > 0) await sleep(waitMs);
}

/** Every page of a lead's follow-ups; its earliest person entry, or undefined when no person has written one. */
async function readFirstTouch(customerId: number, rps: number): Promise<FirstTouch | undefined> {
  let first: ReturnType<typeof earliestPersonFollowUp>;
  let cursor: string | null = null;
  do {
    await pace(rps);
    const page = await listClueFollowUps({ customerId, size: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) }, { spare: true });
    first = earliestPersonFollowUp(page.list, first);
    cursor = normalizeCursor(page.nextCursor, page.list.length);
  } while (cursor !== null);
  return first === undefined ? undefined : { at: first.at, by: first.by };
}

/** Records a first touch; an earlier one already known stays (the earliest wins). */
export async function recordFirstTouch(customerId: number, touch: FirstTouch): Promise<void> {
  const db = await cluesDb();
  await db.transaction(async (tx) => {
    const touched = await tx
      .update(clues)
      .set({ firstTouchAt: touch.at, firstTouchBy: touch.by, touchCheckAt: null })
      .where(and(eq(clues.customerId, customerId), or(isNull(clues.firstTouchAt), gt(clues.firstTouchAt, touch.at))))
      .returning({ day: clues.day });
    // The lead's day answers otherwise now (its touch filter, facets and list items).
    await markDaysChanged(tx, touched.map((r) => r.day));
  });
}

/** The first touch the store knows for a lead; null while none is. */
export async function storedFirstTouch(customerId: number): Promise<FirstTouch | null> {
  const db = await cluesDb();
  const [row] = await db.select({ at: clues.firstTouchAt, by: clues.firstTouchBy }).from(clues).where(eq(clues.customerId, customerId));
  return row?.at ? { at: row.at, by: row.by ?? "" } : null;
}

async function scheduleCheck(customerId: number, at: number): Promise<void> {
  const db = await cluesDb();
  await db
    .update(clues)
    .set({ touchCheckAt: new Date(at) })
    .where(and(eq(clues.customerId, customerId), isNull(clues.firstTouchAt)));
}

export type TouchPass = { checked: number; touched: number; failed: number };

/**
 * One pass of the reader at `now`: checks the due leads, youngest first (their deadlines are the tightest),
 * at most `maxLeads` of them. Answers what it did.
 */
export async function readDueTouches(now = Date.now(), maxLeads = Number.POSITIVE_INFINITY): Promise<TouchPass> {
  const { windowDays, pollMs, maxRps } = touchConfig();
  const db = await cluesDb();
  const pass: TouchPass = { checked: 0, touched: 0, failed: 0 };
  const oldestDay = addDays(chinaToday(now), -(windowDays - 1));
  while (pass.checked + pass.failed < maxLeads) {
    const due = await db
      .select({ customerId: clues.customerId, createTime: clues.createTime })
      .from(clues)
      .where(
        and(
          isNull(clues.firstTouchAt),
          gte(clues.day, oldestDay),
          lte(clues.createTime, formatChinaWallTime(now - pollMs)),
          or(isNull(clues.touchCheckAt), lte(clues.touchCheckAt, new Date(now))),
        ),
      )
      .orderBy(desc(clues.createTime), desc(clues.customerId))
      .limit(Math.min(DUE_BATCH, maxLeads - pass.checked - pass.failed));
    if (due.length === 0) break;
    for (const lead of due) {
      try {
        const touch = await readFirstTouch(lead.customerId, maxRps);
        pass.checked++;
        if (touch === undefined) await scheduleCheck(lead.customerId, nextTouchCheck(parseChinaWallTime(lead.createTime), now, pollMs));
        else {
          pass.touched++;
          await recordFirstTouch(lead.customerId, touch);
        }
      } catch (error) {
        if (!TanmaError.is(error) && !UpstreamBusyError.is(error)) throw error;
        pass.failed++;
        console.error(JSON.stringify({ event: "touch_check_failed", customerId: lead.customerId, kind: TanmaError.is(error) ? error.kind : "busy" }));
        await scheduleCheck(lead.customerId, now + pollMs);
      }
    }
  }
  return pass;
}

/** How long one background pass may read: short of the follower's lease, so a lost lease stops it soon. */
const PASS_SECONDS = 10;

/** Starts a pass in the background unless one is under way (called by the follower while it holds its lease). */
export function readTouchesInBackground(): void {
  const state = readerState();
  const { maxRps } = touchConfig();
  if (state.reading || maxRps === 0) return;
  state.reading = readDueTouches(Date.now(), Math.max(1, Math.floor(maxRps * PASS_SECONDS)))
    .catch((error: unknown) => console.error(JSON.stringify({ event: "touch_pass_failed", error: error instanceof Error ? error.name : "unknown" })))
    .finally(() => {
      state.reading = undefined;
    });
}

/** Waits for a pass under way (tests, shutdown). */
export async function touchReaderIdle(): Promise<void> {
  await readerState().reading;
}
