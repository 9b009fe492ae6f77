import { requestAuditee } from "@/lib/api/request-user";
import { handleApiRoute, json } from "@/lib/api/respond";
import { requireAdmin } from "@/lib/auth/admin";
import type { TestDelivery } from "@/lib/notifications/schema";
import { testSubscription } from "@/lib/notifications/service";
import { type SubscriptionContext, subscriptionId } from "@/lib/notifications/route-params";

/** `POST /api/subscriptions/{id}/test` (admins): sends a test message now and answers with the robot's reply. */
export const POST = handleApiRoute("/api/subscriptions/[id]/test", async (request, context: SubscriptionContext) => {
  await requireAdmin(request);
  return json<TestDelivery>(await testSubscription(await subscriptionId(context), await requestAuditee(request)));
});
