import "server-only";
import type { Auditee } from "@/lib/audit/schema";
import { recordAudit } from "@/lib/audit/trail";
import { formatChinaWallTime } from "@/lib/china-time";
import { later, leadsMatchingAfter, newestLeadPosition } from "@/lib/clues/new-leads";
import { serverEnv } from "@/lib/env";
import { BadRequestError } from "@/lib/errors";
import { leadSummary, testMessage } from "@/lib/notifications/message";
import { checkRobotUrl } from "@/lib/notifications/robot-url";
import {
  type CreateSubscription,
  MAX_SUBSCRIPTIONS,
  type Subscription,
  type TestDelivery,
  type UpdateSubscription,
} from "@/lib/notifications/schema";
import { deliver, robotKey, DEFAULT_SENDER_POLICY } from "@/lib/notifications/sender";
import { enqueueLeads } from "@/lib/notifications/store/outbox";
import {
  deleteSubscriptionRow,
  insertSubscription,
  listSubscriptionRows,
  recordOutcome,
  type SubscriptionCounts,
  type SubscriptionPatch,
  type SubscriptionRow,
  subscriptionCount,
  subscriptionRow,
  updateSubscriptionRow,
} from "@/lib/notifications/store/subscriptions";

/**
 * What the subscriptions routes do (admins only, checked by the routes), each change recorded in the audit
 * trail; and the hook where new leads reach the store (`enqueueNewLeads`, called by the lead copy's follower).
 * A robot's URL and secret go into the store and to the robot, nowhere else: answers show the URL's origin and
 * its last four characters, logs and audit events a hash of it.
 */

const PUBLIC_URL_MISSING = "CLUE_DESK_PUBLIC_URL must be set before a subscription is saved: messages link to the desk at that address";

/** `https://qyapi.weixin.qq.com/…a5aa`: enough to tell robots apart, not enough to post to one. */
function maskedUrl(url: string): string {
  return `${new URL(url).origin}/…${url.slice(-4)}`;
}

function toSubscription(row: SubscriptionRow & SubscriptionCounts): Subscription {
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    channel: { kind: row.channelKind, url: maskedUrl(row.channelUrl), signed: row.channelSecret !== null },
    digest: row.digest,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastDeliveryAt: row.lastDeliveryAt?.toISOString() ?? null,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    pending: row.pending,
    failed: row.failed,
  };
}

/** What an audit event says of a subscription: its name, filters, kind and robot (hashed), never the URL or secret. */
const auditDetail = (row: SubscriptionRow) => ({ name: row.name, query: row.query, kind: row.channelKind, robot: robotKey(row.channelUrl), digest: row.digest });

export async function listSubscriptions(): Promise<Subscription[]> {
  return (await listSubscriptionRows()).map(toSubscription);
}

async function withCounts(row: SubscriptionRow): Promise<Subscription> {
  const found = (await listSubscriptionRows()).find((r) => r.id === row.id);
  return toSubscription(found ?? { ...row, pending: 0, failed: 0 });
}

export async function createSubscription(input: CreateSubscription, who: Auditee): Promise<Subscription> {
  if (serverEnv().CLUE_DESK_PUBLIC_URL === undefined) throw new BadRequestError(PUBLIC_URL_MISSING);
  await checkRobotUrl(input.channel.url);
  if ((await subscriptionCount()) >= MAX_SUBSCRIPTIONS) throw new BadRequestError(`at most ${MAX_SUBSCRIPTIONS} subscriptions`);
  // It starts now, and after every lead already stored: Tanma's create times are whole seconds, and a lead of
  // this very second that the store already holds is not new to the subscription.
  const now = { createTime: formatChinaWallTime(Date.now()), customerId: 0 };
  const newest = await newestLeadPosition();
  const start = newest === undefined ? now : later(now, newest);
  const row = await insertSubscription({
    name: input.name,
    query: input.query,
    channelKind: input.channel.kind,
    channelUrl: input.channel.url,
    channelSecret: input.channel.secret ?? null,
    digest: input.digest ?? null,
    createdBy: who.actor ?? "unknown",
    after: start,
  });
  await recordAudit({ action: "subscription_create", ...who, target: row.id, detail: auditDetail(row) });
  return withCounts(row);
}

export async function updateSubscription(id: string, patch: UpdateSubscription, who: Auditee): Promise<Subscription> {
  await subscriptionRow(id);
  if (patch.channel !== undefined) await checkRobotUrl(patch.channel.url);
  const changes: SubscriptionPatch = {
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.query === undefined ? {} : { query: patch.query }),
    ...(patch.digest === undefined ? {} : { digest: patch.digest }),
    ...(patch.channel === undefined ? {} : { channelKind: patch.channel.kind, channelUrl: patch.channel.url, channelSecret: patch.channel.secret ?? null }),
  };
  const row = await updateSubscriptionRow(id, changes);
  await recordAudit({ action: "subscription_update", ...who, target: id, detail: { ...auditDetail(row), changed: Object.keys(patch) } });
  return withCounts(row);
}

export async function deleteSubscription(id: string, who: Auditee): Promise<void> {
  const row = await deleteSubscriptionRow(id);
  await recordAudit({ action: "subscription_delete", ...who, target: id, detail: auditDetail(row) });
}

/** 发送测试: one test message now, outside the outbox; the robot's answer is the reply. Recorded before it is sent. */
export async function testSubscription(id: string, who: Auditee): Promise<TestDelivery> {
  const row = await subscriptionRow(id);
  const publicUrl = serverEnv().CLUE_DESK_PUBLIC_URL;
  if (publicUrl === undefined) throw new BadRequestError(PUBLIC_URL_MISSING);
  await recordAudit({ action: "subscription_test", ...who, target: id, detail: auditDetail(row) });
  const outcome = await deliver(row, testMessage(row, publicUrl), DEFAULT_SENDER_POLICY.timeoutMs);
  await recordOutcome(id, outcome.ok ? null : outcome.error);
  return outcome;
}

/** Leads read per subscription and step when enqueueing. */
const ENQUEUE_PAGE = 100;

/**
 * Enqueues, for every subscription, the stored leads matching its view that come after its position (leads
 * created before it was saved never do), and moves the position past them in the same transaction. Called by
 * the lead copy's follower after each step that may have stored new leads; a failure is logged and the leads
 * stay after the position, for the next step to enqueue.
 */
export async function enqueueNewLeads(): Promise<void> {
  try {
    for (const subscription of await listSubscriptionRows()) {
      let after = { createTime: subscription.afterCreateTime, customerId: subscription.afterCustomerId };
      for (;;) {
        const { items, next } = await leadsMatchingAfter(subscription.query, after, ENQUEUE_PAGE);
        if (next.createTime === after.createTime && next.customerId === after.customerId) break;
        if (!(await enqueueLeads(subscription.id, after, next, items.map(leadSummary)))) break;
        if (items.length < ENQUEUE_PAGE) break;
        after = next;
      }
    }
  } catch (error) {
    console.error(JSON.stringify({ event: "notify_enqueue_failed", error: error instanceof Error ? error.message.slice(0, 200) : "unknown" }));
  }
}

/** At server start: a subscription without the desk's address for its links is a configuration error that stops the server. */
export async function checkNotificationConfig(): Promise<void> {
  if (serverEnv().CLUE_DESK_PUBLIC_URL === undefined && (await subscriptionCount()) > 0) {
    throw new Error(`Clue Desk: ${PUBLIC_URL_MISSING} (the store holds subscriptions)`);
  }
}
