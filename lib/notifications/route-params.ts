import { NotFoundError } from "@/lib/errors";
import { SUBSCRIPTION_NOT_FOUND, subscriptionIdSchema } from "@/lib/notifications/schema";

/** The `{id}` of the subscription routes. */
export type SubscriptionContext = { params: Promise<{ id: string }> };

/** A malformed id names no subscription: the same 404 as a deleted one. */
export async function subscriptionId(context: SubscriptionContext): Promise<string> {
  const parsed = subscriptionIdSchema.safeParse((await context.params).id);
  if (!parsed.success) throw new NotFoundError(SUBSCRIPTION_NOT_FOUND);
  return parsed.data;
}
