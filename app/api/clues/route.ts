import { requestCaller } from "@/lib/api/request-user";
import { handleApiRoute, json, parseQuery } from "@/lib/api/respond";
import { clueListQuerySchema } from "@/lib/clues/schema";
import { listClues } from "@/lib/clues/service";

export const GET = handleApiRoute("/api/clues", async (request) =>
  json(await listClues(parseQuery(request, clueListQuerySchema), await requestCaller(request))),
);
