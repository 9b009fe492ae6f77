import { sql } from "drizzle-orm";
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ChannelKind, LeadSummary } from "@/lib/notifications/schema";

/** Tables of group-robot notifications (migrations: drizzle.config.ts gathers every `tables.ts` under lib/). */

/**
 * A subscription: a view's filters (the list's canonical query string) sent to one robot. The robot's URL and
 * signing secret carry its credential: they are read by the sender only and never answered or logged whole.
 * `afterCreateTime`/`afterCustomerId` is the keyset position (the list's order: create time, then id) of the
 * last lead considered for it: leads created before the subscription, and leads already considered, are not
 * sent again. `digest` is kept for the daily digest, which is not sent yet.
 */
export const notifySubscriptions = pgTable("notify_subscriptions", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  query: text("query").notNull(),
  channelKind: text("channel_kind").$type<ChannelKind>().notNull(),
  channelUrl: text("channel_url").notNull(),
  channelSecret: text("channel_secret"),
  /** `HH:mm`, China time; null without a daily digest. */
  digest: text("digest"),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  afterCreateTime: text("after_create_time").notNull(),
  afterCustomerId: bigint("after_customer_id", { mode: "number" }).notNull().default(0),
  lastDeliveryAt: timestamp("last_delivery_at", { withTimezone: true, mode: "date" }),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true, mode: "date" }),
});

/**
 * The outbox: one row per lead to send to a subscription's robot, written where new leads reach the
 * store, sent by one instance. A sender claims rows (`claimedBy` until `claimedUntil`) before it sends them and
 * marks them sent after: a sender that dies in between leaves a claim that lapses, and the rows are sent once
 * more, never lost. Unique per subscription and lead, so a lead is enqueued once however often it is seen.
 */
export const notifyOutbox = pgTable(
  "notify_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => notifySubscriptions.id, { onDelete: "cascade" }),
    customerId: bigint("customer_id", { mode: "number" }).notNull(),
    /** What the message shows of the lead (no phone number). */
    payload: jsonb("payload").$type<LeadSummary>().notNull(),
    status: text("status").$type<"pending" | "sent" | "failed">().notNull().default("pending"),
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until", { withTimezone: true, mode: "date" }),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("notify_outbox_subscription_lead_idx").on(t.subscriptionId, t.customerId),
    index("notify_outbox_due_idx").on(t.status, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Messages sent to each robot (keyed by a hash of its URL, never the URL), so the per-robot rate limit holds
 * across a change of sending instance. Rows older than an hour are dropped.
 */
export const notifySends = pgTable(
  "notify_sends",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    robot: text("robot").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("notify_sends_robot_idx").on(t.robot, t.sentAt)],
);
