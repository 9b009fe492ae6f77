import { requireAdmin } from "@/lib/auth/admin";
import { handleApiRoute, json, parseQuery } from "@/lib/api/respond";
import type { AuditActorsResponse } from "@/lib/audit/schema";
import { listAuditActors } from "@/lib/audit/service";
import { z } from "zod";

/** `GET /api/audit/actors`: everyone the trail names, for the page's user filter; admins only. */
export const GET = handleApiRoute("/api/audit/actors", async (request) => {
  await requireAdmin(request);
  parseQuery(request, z.object({}).strict());
  return json<AuditActorsResponse>(await listAuditActors());
});
