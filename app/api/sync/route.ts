import { requestAuditee, requestCaller } from "@/lib/api/request-user";
import { handleApiRoute, json, parseQuery } from "@/lib/api/respond";
import { type SyncResponse, syncRequestSchema } from "@/lib/clues/schema";
import { recordAudit } from "@/lib/audit/store/events";
import { daysOfRange } from "@/lib/clues/store/freshness";
import { forceSync } from "@/lib/clues/store/sync";

/**
 * `POST /api/sync?since&before`: walks the range's days again now (the pages' 刷新 button), at most its newest
 * 31, and answers when every walk has finished or failed. A day the same user forced in the last few seconds
 * is not walked again, and a user whose forced walks already queue many days gets 429. The walks take the
 * user's turns, among day walks and in Tanma's budget, like their reads. Each admitted forced sync is in the
 * audit trail, recorded before the walks start.
 */
export const POST = handleApiRoute("/api/sync", async (request) => {
  const { since, before } = parseQuery(request, syncRequestSchema);
  const days = daysOfRange(since, before);
  const who = await requestAuditee(request);
  const result = await forceSync(days, (await requestCaller(request)).user, () =>
    recordAudit({ action: "forced_sync", ...who, detail: { since, before, days: days.length } }),
  );
  const body: SyncResponse = { walked: result.walked.length, skipped: result.skipped.length, failed: result.failed };
  return json(body, result.failed.length > 0 && result.walked.length === 0 ? 502 : 200);
});
