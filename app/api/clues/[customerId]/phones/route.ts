import { requestAuditee, requestCaller } from "@/lib/api/request-user";
import { handleApiRoute, json, parseInput } from "@/lib/api/respond";
import { customerIdSchema } from "@/lib/clues/schema";
import { revealPhoneNumbers } from "@/lib/clues/service";

/** POST, not GET: revealing is an audited action, not a cacheable read (and the API gate checks its origin). */
export const POST = handleApiRoute("/api/clues/[customerId]/phones", async (request, { params }: { params: Promise<{ customerId: string }> }) => {
  const customerId = parseInput((await params).customerId, customerIdSchema);
  return json(await revealPhoneNumbers(customerId, await requestAuditee(request), await requestCaller(request)));
});
