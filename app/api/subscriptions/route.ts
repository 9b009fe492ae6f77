import { parseJsonBody } from "@/lib/api/json-body";
import { requestAuditee } from "@/lib/api/request-user";
import { handleApiRoute, json } from "@/lib/api/respond";
import { requireAdmin } from "@/lib/auth/admin";
import { createSubscriptionSchema, type Subscription, type SubscriptionList } from "@/lib/notifications/schema";
import { createSubscription, listSubscriptions } from "@/lib/notifications/service";

/** `GET /api/subscriptions` (admins): every subscription, robots' URLs shortened, secrets never. */
export const GET = handleApiRoute("/api/subscriptions", async (request) => {
  await requireAdmin(request);
  return json<SubscriptionList>({ subscriptions: await listSubscriptions() });
});

/** `POST /api/subscriptions` `{name, query, channel: {kind, url, secret?}, digest?}` (admins): 201 and the subscription. */
export const POST = handleApiRoute("/api/subscriptions", async (request) => {
  await requireAdmin(request);
  const input = await parseJsonBody(request, createSubscriptionSchema);
  return json<Subscription>(await createSubscription(input, await requestAuditee(request)), 201);
});
