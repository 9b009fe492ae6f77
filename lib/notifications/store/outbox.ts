import "server-only";
import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { fromNow } from "@/lib/db/leases";
import { storeDb } from "@/lib/db/connection";
import type { LeadSummary } from "@/lib/notifications/schema";
import { notifyOutbox, notifySends, notifySubscriptions } from "@/lib/notifications/store/tables";

/**
 * The outbox. Leads are enqueued once per subscription (a unique key), together with the subscription's
 * position moving past them, in one transaction. A sender claims a subscription's due rows (FOR UPDATE SKIP
 * LOCKED: two senders never claim one row), sends them as one message, then marks them sent; a failure
 * reschedules them with backoff until they are older than the give-up age, when they are marked failed. A
 * sender that dies between sending and marking leaves a claim that lapses: the rows are sent once more.
 */

export type OutboxRow = typeof notifyOutbox.$inferSelect;
export type Position = { createTime: string; customerId: number };

/**
 * Moves a subscription's position from `from` to `to` and enqueues `leads`, together; false when the position
 * was no longer `from` (another enqueue moved it, or the subscription is gone), with nothing written.
 */
export async function enqueueLeads(subscriptionId: string, from: Position, to: Position, leads: readonly LeadSummary[]): Promise<boolean> {
  const db = await storeDb();
  return db.transaction(async (tx) => {
    const moved = await tx
      .update(notifySubscriptions)
      .set({ afterCreateTime: to.createTime, afterCustomerId: to.customerId })
      .where(
        and(
          eq(notifySubscriptions.id, subscriptionId),
          eq(notifySubscriptions.afterCreateTime, from.createTime),
          eq(notifySubscriptions.afterCustomerId, from.customerId),
        ),
      )
      .returning({ id: notifySubscriptions.id });
    if (moved.length === 0) return false;
    if (leads.length > 0) {
      await tx
        .insert(notifyOutbox)
        .values(leads.map((lead) => ({ subscriptionId, customerId: Number(lead.customerId), payload: lead })))
        .onConflictDoNothing();
    }
    return true;
  });
}

const due = () =>
  and(
    eq(notifyOutbox.status, "pending"),
    lte(notifyOutbox.nextAttemptAt, sql`now()`),
    or(isNull(notifyOutbox.claimedUntil), lt(notifyOutbox.claimedUntil, sql`now()`)),
  );

/** Subscriptions with rows due now and claimed by no one, oldest row first. */
export async function subscriptionsWithDueRows(): Promise<string[]> {
  const db = await storeDb();
  const rows = await db
    .select({ id: notifyOutbox.subscriptionId, first: sql<number>`min(${notifyOutbox.id})`.mapWith(Number) })
    .from(notifyOutbox)
    .where(due())
    .groupBy(notifyOutbox.subscriptionId);
  return rows.sort((a, b) => a.first - b.first).map((r) => r.id);
}

/** Claims up to `limit` of a subscription's due rows for `claimant` until `claimMs` from now, in enqueue order. */
export async function claimDueRows(subscriptionId: string, claimant: string, limit: number, claimMs: number): Promise<OutboxRow[]> {
  const db = await storeDb();
  const mine = and(eq(notifyOutbox.subscriptionId, subscriptionId), due());
  const picked = db.select({ id: notifyOutbox.id }).from(notifyOutbox).where(mine).orderBy(notifyOutbox.id).limit(limit).for("update", { skipLocked: true });
  const claimed = await db
    .update(notifyOutbox)
    .set({ claimedBy: claimant, claimedUntil: fromNow(claimMs) })
    .where(and(inArray(notifyOutbox.id, picked), mine))
    .returning();
  return claimed.sort((a, b) => a.id - b.id);
}

const claimedBy = (ids: readonly number[], claimant: string) => and(inArray(notifyOutbox.id, [...ids]), eq(notifyOutbox.claimedBy, claimant));

export async function markSent(ids: readonly number[], claimant: string): Promise<void> {
  const db = await storeDb();
  await db
    .update(notifyOutbox)
    .set({ status: "sent", sentAt: sql`now()`, claimedBy: null, claimedUntil: null, lastError: null })
    .where(claimedBy(ids, claimant));
}

/**
 * A failed delivery: the rows are due again after a backoff that doubles per attempt from `baseMs` up to
 * `maxMs`, or marked failed once enqueued more than `giveUpAfterMs` ago. Answers how many were given up.
 */
export async function markFailedAttempt(
  ids: readonly number[],
  claimant: string,
  error: string,
  { baseMs, maxMs, giveUpAfterMs }: { baseMs: number; maxMs: number; giveUpAfterMs: number },
): Promise<number> {
  const db = await storeDb();
  const delayMs = sql`least(${baseMs}::float8 * power(2, ${notifyOutbox.attempts}), ${maxMs}::float8)`;
  const rows = await db
    .update(notifyOutbox)
    .set({
      attempts: sql`${notifyOutbox.attempts} + 1`,
      claimedBy: null,
      claimedUntil: null,
      lastError: error,
      status: sql`case when ${notifyOutbox.enqueuedAt} <= now() - ${`${giveUpAfterMs} milliseconds`}::interval then 'failed' else 'pending' end`,
      nextAttemptAt: sql`now() + ${delayMs} * interval '1 millisecond'`,
    })
    .where(claimedBy(ids, claimant))
    .returning({ status: notifyOutbox.status });
  return rows.filter((r) => r.status === "failed").length;
}

/** Messages sent to `robot` within the last `windowMs`, by the database's clock. */
export async function sendsWithin(robot: string, windowMs: number): Promise<number> {
  const db = await storeDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(notifySends)
    .where(and(eq(notifySends.robot, robot), sql`${notifySends.sentAt} > now() - ${`${windowMs} milliseconds`}::interval`));
  return row?.n ?? 0;
}

export async function recordSend(robot: string): Promise<void> {
  const db = await storeDb();
  await db.insert(notifySends).values({ robot });
}

/** Drops send records past any rate window, and outbox rows sent or failed more than `keepDays` ago. */
export async function pruneOutbox(keepDays: number): Promise<void> {
  const db = await storeDb();
  await db.delete(notifySends).where(sql`${notifySends.sentAt} < now() - interval '1 hour'`);
  await db
    .delete(notifyOutbox)
    .where(and(inArray(notifyOutbox.status, ["sent", "failed"]), sql`${notifyOutbox.enqueuedAt} < now() - ${`${keepDays} days`}::interval`));
}
