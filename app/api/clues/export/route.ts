import { create as contentDisposition } from "content-disposition";
import { parseFilterQuery } from "@/lib/api/filter-query";
import { requestSearcher } from "@/lib/api/request-user";
import { handleApiRoute } from "@/lib/api/respond";
import { exportClues } from "@/lib/clues/export";
import { clueExportQuerySchema } from "@/lib/clues/schema";

/** A download: the body streams as it is read; the name says the range (RFC 6266 `filename*` plus an ASCII fallback). */
export const GET = handleApiRoute(
  "/api/clues/export",
  async (request) => {
    const query = parseFilterQuery(request, clueExportQuerySchema);
    const file = await exportClues(query, await requestSearcher(request));
    return new Response(file.body, {
      headers: {
        "content-type": file.contentType,
        "content-disposition": contentDisposition(file.fileName.name, { fallback: file.fileName.fallback }),
        "cache-control": "no-store",
      },
    });
  },
  // An export is recorded under the user's name: a link on another site must not start one.
  { sameOriginOnly: true },
);
