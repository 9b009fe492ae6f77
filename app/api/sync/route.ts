import { handleApiRoute, json, parseQuery } from "@/lib/api/respond";
import { type SyncResponse, syncRequestSchema } from "@/lib/clues/schema";
import { daysOfRange } from "@/lib/store/freshness";
import { forceSync } from "@/lib/store/sync";

/**
 * `POST /api/sync?since&before`: walks the range's days again now (the pages' 刷新 button) and answers when
 * every walk has finished or failed. A day walked in the last few seconds is not walked again.
 */
export const POST = handleApiRoute("/api/sync", async (request) => {
  const { since, before } = parseQuery(request, syncRequestSchema);
  const result = await forceSync(daysOfRange(since, before));
  const body: SyncResponse = { walked: result.walked.length, skipped: result.skipped.length, failed: result.failed };
  return json(body, result.failed.length > 0 && result.walked.length === 0 ? 502 : 200);
});
