import { requestAuditee } from "@/lib/api/request-user";
import { download, handleApiRoute, parseQuery } from "@/lib/api/respond";
import { requireAdmin } from "@/lib/auth/admin";
import { auditFilterSchema } from "@/lib/audit/schema";
import { exportAudit } from "@/lib/audit/service";

/** `GET /api/audit/export?actor&action&since&before`: the filtered trail as CSV, streamed; admins only, and recorded. */
export const GET = handleApiRoute(
  "/api/audit/export",
  async (request) => {
    await requireAdmin(request);
    const file = await exportAudit(parseQuery(request, auditFilterSchema), await requestAuditee(request));
    return download(file);
  },
  // An export is recorded under the user's name: a link on another site must not start one.
  { sameOriginOnly: true },
);
