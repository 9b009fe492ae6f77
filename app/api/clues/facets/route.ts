import { parseFilterQuery } from "@/lib/api/filter-query";
import { requestSearcher } from "@/lib/api/request-user";
import { jsonAnswer } from "@/lib/api/json-answer";
import { handleApiRoute, revalidatedJson } from "@/lib/api/respond";
import { clueFacetsQuerySchema } from "@/lib/clues/schema";
import { clueFacets } from "@/lib/clues/service";

export const GET = handleApiRoute("/api/clues/facets", async (request) =>
  revalidatedJson(request, jsonAnswer(await clueFacets(parseFilterQuery(request, clueFacetsQuerySchema), await requestSearcher(request)))),
);
