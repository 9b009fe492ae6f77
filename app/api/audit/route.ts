import { requireAdmin } from "@/lib/auth/admin";
import { handleApiRoute, json, parseQuery } from "@/lib/api/respond";
import { auditListQuerySchema } from "@/lib/audit/schema";
import { listAuditEvents } from "@/lib/audit/service";

/** `GET /api/audit?actor&action&since&before&cursor&size`: a page of the audit trail, newest first; admins only. */
export const GET = handleApiRoute("/api/audit", async (request) => {
  await requireAdmin(request);
  return json(await listAuditEvents(parseQuery(request, auditListQuerySchema)));
});
