import { requestAuditee, requestCaller } from "@/lib/api/request-user";
import { handleApiRoute, json, parseQuery } from "@/lib/api/respond";
import { syncRequestSchema } from "@/lib/clues/schema";
import { forceSyncRange } from "@/lib/clues/service";

/**
 * `POST /api/sync?since&before`: walks the range's days again now (the pages' 刷新 button), at most its newest
 * 31, and answers when every walk has finished or failed. A day the same user forced in the last few seconds
 * is not walked again, and a user whose forced walks already queue many days gets 429. The walks take the
 * user's turns, among day walks and in Tanma's budget, like their reads. Each admitted forced sync is in the
 * audit trail, recorded before the walks start.
 */
export const POST = handleApiRoute("/api/sync", async (request) => {
  const range = parseQuery(request, syncRequestSchema);
  const body = await forceSyncRange(range, await requestAuditee(request), (await requestCaller(request)).user);
  return json(body, body.walked === 0 && body.failed.length > 0 ? 502 : 200);
});
