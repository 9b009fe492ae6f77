import "server-only";
import { createHash } from "node:crypto";
import { storeDb } from "@/lib/db/connection";
import { holdLease, instanceId } from "@/lib/db/leases";
import { serverEnv } from "@/lib/env";
import { type Message, robotRequest, robotVerdict } from "@/lib/notifications/channels";
import { leadsMessage } from "@/lib/notifications/message";
import { postToRobot } from "@/lib/notifications/robot-url";
import type { LeadSummary } from "@/lib/notifications/schema";
import {
  claimDueRows,
  markFailedAttempt,
  markSent,
  pruneOutbox,
  recordSend,
  sendsWithin,
  subscriptionsWithDueRows,
} from "@/lib/notifications/store/outbox";
import { recordOutcome, type SubscriptionRow, subscriptionRow } from "@/lib/notifications/store/subscriptions";

/**
 * Sends the outbox. One instance sends at a time (the `notify-sender` lease, taken every `TICK_MS` like the
 * follower's); each pass sends, per subscription with rows due, one message for all of them, within each
 * robot's rate limit: a robot at its limit is skipped this pass and its rows wait, never dropped.
 */

export type SenderPolicy = {
  /** Who claims rows: this instance. */
  claimant: string;
  /** At most `limit` messages to one robot in any `windowMs`: WeCom's and DingTalk's 20 a minute. */
  rate: { limit: number; windowMs: number };
  timeoutMs: number;
  /** Backoff after a failed delivery: doubling from `baseMs` up to `maxMs`; rows older than `giveUpAfterMs` are marked failed. */
  retry: { baseMs: number; maxMs: number; giveUpAfterMs: number };
  /** How long a claim holds: longer than a delivery takes, so only a dead sender's claim lapses. */
  claimMs: number;
};

export const DEFAULT_SENDER_POLICY: Omit<SenderPolicy, "claimant"> = {
  rate: { limit: 20, windowMs: 60_000 },
  timeoutMs: 10_000,
  retry: { baseMs: 5_000, maxMs: 600_000, giveUpAfterMs: 3_600_000 },
  claimMs: 120_000,
};

/** Leads one message covers: 10 listed, the rest counted ("另有 N 条"). */
const MAX_LEADS_PER_MESSAGE = 500;

/** A robot as the rate limit and logs name it: a hash of its URL, never the URL. */
export const robotKey = (url: string) => createHash("sha256").update(url).digest("base64url").slice(0, 16);

function publicUrl(): string {
  const url = serverEnv().CLUE_DESK_PUBLIC_URL;
  if (url === undefined) throw new Error("CLUE_DESK_PUBLIC_URL is not set: messages need the desk's address for their links");
  return url;
}

/** One message to a subscription's robot, signed now: whether it took it, its reply (cut short), and the failure's text. */
export async function deliver(subscription: SubscriptionRow, message: Message, timeoutMs: number): Promise<{ ok: boolean; status: number | null; reply: string; error: string | null }> {
  const request = robotRequest(subscription.channelKind, subscription.channelUrl, subscription.channelSecret, message);
  try {
    const answer = await postToRobot(request, timeoutMs);
    const verdict = robotVerdict(subscription.channelKind, answer.status, answer.body);
    return { ok: verdict.ok, status: answer.status, reply: answer.body.slice(0, 500), error: verdict.error };
  } catch (error) {
    return { ok: false, status: null, reply: "", error: error instanceof Error ? error.message.slice(0, 200) : "cannot reach the robot" };
  }
}

/** One pass over the outbox; answers how many messages went out. */
export async function sendDue(policy: SenderPolicy): Promise<number> {
  let sent = 0;
  for (const id of await subscriptionsWithDueRows()) {
    const subscription = await subscriptionRow(id).catch(() => undefined);
    if (subscription === undefined) continue;
    const robot = robotKey(subscription.channelUrl);
    if ((await sendsWithin(robot, policy.rate.windowMs)) >= policy.rate.limit) continue;
    const rows = await claimDueRows(id, policy.claimant, MAX_LEADS_PER_MESSAGE, policy.claimMs);
    if (rows.length === 0) continue;
    // Counted before it goes: a request the robot refuses still counts against its limit.
    await recordSend(robot);
    const outcome = await deliver(subscription, leadsMessage(subscription, rows.map((r) => r.payload as LeadSummary), publicUrl()), policy.timeoutMs);
    const ids = rows.map((r) => r.id);
    if (outcome.ok) {
      await markSent(ids, policy.claimant);
      await recordOutcome(id, null);
      sent++;
      console.info(JSON.stringify({ event: "notify_sent", subscription: id, robot, leads: rows.length }));
    } else {
      const error = outcome.error ?? "failed";
      const givenUp = await markFailedAttempt(ids, policy.claimant, error, policy.retry);
      await recordOutcome(id, error);
      console.warn(JSON.stringify({ event: "notify_delivery_failed", subscription: id, robot, leads: rows.length, givenUp, error }));
    }
  }
  return sent;
}

type SenderState = { timer?: NodeJS.Timeout; running?: Promise<void>; lastPruneAt: number };
const globalSender = globalThis as typeof globalThis & { __clueDeskNotifier?: SenderState };

const TICK_MS = 2_000;
const LEASE_MS = 15_000;
const PRUNE_EVERY_MS = 3_600_000;
const KEEP_DAYS = 30;

/** Starts this instance's sender loop (idempotent); its timer does not keep the process alive. */
export function startSender(): void {
  const state = (globalSender.__clueDeskNotifier ??= { lastPruneAt: 0 });
  if (state.timer) return;
  const policy = { ...DEFAULT_SENDER_POLICY, claimant: instanceId() };
  const tick = () => {
    if (state.running) return;
    state.running = (async () => {
      if (!(await holdLease(await storeDb(), "notify-sender", LEASE_MS))) return;
      await sendDue(policy);
      if (Date.now() - state.lastPruneAt > PRUNE_EVERY_MS) {
        state.lastPruneAt = Date.now();
        await pruneOutbox(KEEP_DAYS);
      }
    })()
      .catch((error: unknown) => console.error(JSON.stringify({ event: "notify_send_failed", error: error instanceof Error ? error.message.slice(0, 200) : "unknown" })))
      .finally(() => {
        state.running = undefined;
      });
  };
  state.timer = setInterval(tick, TICK_MS);
  state.timer.unref();
}

/** Stops the loop and waits for a pass under way. */
export async function stopSender(): Promise<void> {
  const state = globalSender.__clueDeskNotifier;
  if (!state) return;
  clearInterval(state.timer);
  state.timer = undefined;
  await state.running;
}
