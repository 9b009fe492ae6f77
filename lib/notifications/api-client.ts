import { queryOptions } from "@tanstack/react-query";
import { deleteResource, getJson, patchJson, postJson } from "@/lib/clues/api-client";
import type { ChannelKind, Subscription, SubscriptionList, TestDelivery } from "@/lib/notifications/schema";

/** The subscriptions API (`/api/subscriptions`) as the 通知 page calls it: its query and its changes. */

/** What the page sends to create a subscription or, for a change, the parts it changes (`channel` whole, `digest: null` off). */
export type SubscriptionInput = { name: string; query: string; channel: { kind: ChannelKind; url: string; secret?: string }; digest?: string };
export type SubscriptionChange = { name?: string; query?: string; channel?: SubscriptionInput["channel"]; digest?: string | null };

const subscriptionPath = (id: string) => `/api/subscriptions/${encodeURIComponent(id)}`;

export const subscriptionKeys = { all: ["subscriptions"] as const };

export const subscriptionsQueryOptions = () =>
  queryOptions({
    queryKey: subscriptionKeys.all,
    queryFn: ({ signal }) => getJson<SubscriptionList>("/api/subscriptions", signal),
    // Last delivery, errors and counts move as the sender works: a revisit shows them as they are now.
    staleTime: 0,
  });

export const createSubscription = (input: SubscriptionInput) => postJson<Subscription>("/api/subscriptions", input);
export const updateSubscription = (id: string, change: SubscriptionChange) => patchJson<Subscription>(subscriptionPath(id), change);
export const deleteSubscription = (id: string) => deleteResource(subscriptionPath(id));
export const testSubscription = (id: string) => postJson<TestDelivery>(`${subscriptionPath(id)}/test`);
