import "server-only";
import { randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { storeDb } from "@/lib/db/connection";
import { NotFoundError } from "@/lib/errors";
import type { ChannelKind } from "@/lib/notifications/schema";
import { SUBSCRIPTION_NOT_FOUND } from "@/lib/notifications/schema";
import { notifyOutbox, notifySubscriptions } from "@/lib/notifications/store/tables";

/** Subscriptions in the store: every instance reads the same ones; only the sender reads their robots' URLs and secrets. */

export type SubscriptionRow = typeof notifySubscriptions.$inferSelect;
export type SubscriptionCounts = { pending: number; failed: number };

export async function listSubscriptionRows(): Promise<(SubscriptionRow & SubscriptionCounts)[]> {
  const db = await storeDb();
  const [rows, counts] = await Promise.all([
    db.select().from(notifySubscriptions).orderBy(notifySubscriptions.createdAt),
    db
      .select({
        id: notifyOutbox.subscriptionId,
        pending: sql<number>`count(*) filter (where ${notifyOutbox.status} = 'pending')`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${notifyOutbox.status} = 'failed')`.mapWith(Number),
      })
      .from(notifyOutbox)
      .groupBy(notifyOutbox.subscriptionId),
  ]);
  const byId = new Map(counts.map((c) => [c.id, c]));
  return rows.map((row) => ({ ...row, pending: byId.get(row.id)?.pending ?? 0, failed: byId.get(row.id)?.failed ?? 0 }));
}

export async function subscriptionRow(id: string): Promise<SubscriptionRow> {
  const db = await storeDb();
  const [row] = await db.select().from(notifySubscriptions).where(eq(notifySubscriptions.id, id));
  if (row === undefined) throw new NotFoundError(SUBSCRIPTION_NOT_FOUND);
  return row;
}

export async function subscriptionCount(): Promise<number> {
  const db = await storeDb();
  const [row] = await db.select({ n: count() }).from(notifySubscriptions);
  return row?.n ?? 0;
}

export type NewSubscription = {
  name: string;
  query: string;
  channelKind: ChannelKind;
  channelUrl: string;
  channelSecret: string | null;
  digest: string | null;
  createdBy: string;
  /** Where it starts in the list's order: leads at or before it are not sent. */
  after: { createTime: string; customerId: number };
};

export async function insertSubscription({ after, ...values }: NewSubscription): Promise<SubscriptionRow> {
  const db = await storeDb();
  const now = new Date();
  const [row] = await db
    .insert(notifySubscriptions)
    .values({ id: randomUUID(), ...values, afterCreateTime: after.createTime, afterCustomerId: after.customerId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export type SubscriptionPatch = Partial<Pick<SubscriptionRow, "name" | "query" | "channelKind" | "channelUrl" | "channelSecret" | "digest">>;

export async function updateSubscriptionRow(id: string, patch: SubscriptionPatch): Promise<SubscriptionRow> {
  const db = await storeDb();
  const [row] = await db
    .update(notifySubscriptions)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(notifySubscriptions.id, id))
    .returning();
  if (row === undefined) throw new NotFoundError(SUBSCRIPTION_NOT_FOUND);
  return row;
}

/** Deletes a subscription and its outbox rows (the foreign key cascades). */
export async function deleteSubscriptionRow(id: string): Promise<SubscriptionRow> {
  const db = await storeDb();
  const [row] = await db.delete(notifySubscriptions).where(eq(notifySubscriptions.id, id)).returning();
  if (row === undefined) throw new NotFoundError(SUBSCRIPTION_NOT_FOUND);
  return row;
}

/** A delivery's outcome on its subscription, for the 通知 page: when the last one went through, the last error. */
export async function recordOutcome(id: string, error: string | null): Promise<void> {
  const db = await storeDb();
  const set = error === null ? { lastDeliveryAt: new Date() } : { lastError: error, lastErrorAt: new Date() };
  await db.update(notifySubscriptions).set(set).where(eq(notifySubscriptions.id, id));
}
