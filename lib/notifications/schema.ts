import { z } from "zod";
import { MAX_VIEW_NAME_LENGTH } from "@/lib/clues/limits";
import { requestText } from "@/lib/clues/schema";
import { viewQuery } from "@/lib/views/schema";

/**
 * The notifications API's requests and answers (`/api/subscriptions`), and what a message carries. A
 * subscription's filters are a saved view's: the list's query string without the range, checked by the same
 * rules and kept in the same canonical form (lib/views/schema.ts).
 */

export const CHANNEL_KINDS = ["wecom", "dingtalk", "feishu", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Subscriptions the desk keeps in all. */
export const MAX_SUBSCRIPTIONS = 100;

const name = requestText("name", { missing: "name is required" })
  .trim()
  .min(1, { error: "name must not be blank" })
  .max(MAX_VIEW_NAME_LENGTH, { error: `name may be at most ${MAX_VIEW_NAME_LENGTH} characters` });

const channel = z
  .object({
    kind: z.enum(CHANNEL_KINDS, { error: `channel.kind must be one of ${CHANNEL_KINDS.join(", ")}` }),
    url: z
      .string({ error: "channel.url is required (the robot's webhook URL)" })
      .max(2000, { error: "channel.url is too long" })
      .pipe(z.url({ protocol: /^https?$/, error: "channel.url must be an http(s) URL" })),
    secret: requestText("channel.secret")
      .trim()
      .min(1, { error: "channel.secret must not be blank (leave it out for a robot without signing)" })
      .max(200, { error: "channel.secret is too long" })
      .optional(),
  }, { error: "channel is required: {kind, url, secret?}" })
  .strict();
export type ChannelInput = z.output<typeof channel>;

/** `HH:mm`, China time. */
const digest = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "digest must be a time of day as HH:mm (China time)" });

/** `POST /api/subscriptions`. */
export const createSubscriptionSchema = z.object({ name, query: viewQuery, channel, digest: digest.optional() }).strict();
export type CreateSubscription = z.output<typeof createSubscriptionSchema>;

/** `PATCH /api/subscriptions/{id}`: what changes; `channel` is replaced whole, `digest: null` turns the digest off. */
export const updateSubscriptionSchema = z
  .object({ name: name.optional(), query: viewQuery.optional(), channel: channel.optional(), digest: digest.nullable().optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { error: "nothing to change: give name, query, channel or digest" });
export type UpdateSubscription = z.output<typeof updateSubscriptionSchema>;

export const subscriptionIdSchema = z.uuid({ error: "subscription id must be a UUID" });

/** A missing subscription and a malformed id get this one 404. */
export const SUBSCRIPTION_NOT_FOUND = "没有这个通知订阅 (subscription not found)";

/** One subscription as the API answers it: the robot's URL shortened to its origin and last characters, the secret only as whether there is one. */
export type Subscription = {
  id: string;
  name: string;
  query: string;
  channel: { kind: ChannelKind; url: string; signed: boolean };
  digest: string | null;
  createdAt: string;
  updatedAt: string;
  lastDeliveryAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Outbox rows waiting to be sent, and those given up on. */
  pending: number;
  failed: number;
};
export type SubscriptionList = { subscriptions: Subscription[] };

/** `POST /api/subscriptions/{id}/test`: whether the robot took the test message, and its reply (its status and body, cut short). */
export type TestDelivery = { ok: boolean; status: number | null; reply: string; error: string | null };

/** What a message shows of one lead: never a phone number. */
export type LeadSummary = {
  customerId: string;
  name: string;
  /** 个人 / 企业. */
  type: string;
  /** 线索 / 待分配客户. */
  status: string;
  source: string | null;
  /** China wall time, `YYYY-MM-DD HH:mm:ss`. */
  createTime: string;
};
