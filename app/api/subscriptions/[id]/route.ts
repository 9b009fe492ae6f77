import { parseJsonBody } from "@/lib/api/json-body";
import { requestAuditee } from "@/lib/api/request-user";
import { handleApiRoute, json } from "@/lib/api/respond";
import { requireAdmin } from "@/lib/auth/admin";
import { type Subscription, updateSubscriptionSchema } from "@/lib/notifications/schema";
import { deleteSubscription, updateSubscription } from "@/lib/notifications/service";
import { type SubscriptionContext, subscriptionId } from "@/lib/notifications/route-params";

/** `PATCH /api/subscriptions/{id}` `{name?, query?, channel?, digest?}` (admins): the subscription as changed. */
export const PATCH = handleApiRoute("/api/subscriptions/[id]", async (request, context: SubscriptionContext) => {
  await requireAdmin(request);
  const id = await subscriptionId(context);
  const patch = await parseJsonBody(request, updateSubscriptionSchema);
  return json<Subscription>(await updateSubscription(id, patch, await requestAuditee(request)));
});

/** `DELETE /api/subscriptions/{id}` (admins): 204; its unsent outbox rows go with it. */
export const DELETE = handleApiRoute("/api/subscriptions/[id]", async (request, context: SubscriptionContext) => {
  await requireAdmin(request);
  await deleteSubscription(await subscriptionId(context), await requestAuditee(request));
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});
