import { parseFilterQuery } from "@/lib/api/filter-query";
import { requestSearcher } from "@/lib/api/request-user";
import { download, handleApiRoute } from "@/lib/api/respond";
import { exportClues } from "@/lib/clues/export";
import { clueExportQuerySchema } from "@/lib/clues/schema";

/** A download of the filtered leads, streamed as it is read; the file name says the range. */
export const GET = handleApiRoute(
  "/api/clues/export",
  async (request) => {
    const query = parseFilterQuery(request, clueExportQuerySchema);
    const file = await exportClues(query, await requestSearcher(request));
    return download(file);
  },
  // An export is recorded under the user's name: a link on another site must not start one.
  { sameOriginOnly: true },
);
