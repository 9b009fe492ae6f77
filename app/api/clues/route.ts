import { parseFilterQuery } from "@/lib/api/filter-query";
import { requestSearcher } from "@/lib/api/request-user";
import { handleApiRoute, revalidatedJson } from "@/lib/api/respond";
import { clueListQuerySchema } from "@/lib/clues/schema";
import { listClues } from "@/lib/clues/service";

export const GET = handleApiRoute("/api/clues", async (request) =>
  revalidatedJson(request, await listClues(parseFilterQuery(request, clueListQuerySchema), await requestSearcher(request))),
);
