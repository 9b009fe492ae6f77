import { requestCaller } from "@/lib/api/request-user";
import { handleApiRoute, json, parseInput, parseQuery } from "@/lib/api/respond";
import { customerIdSchema, followUpQuerySchema } from "@/lib/clues/schema";
import { listFollowUps } from "@/lib/clues/service";

export const GET = handleApiRoute("/api/clues/[customerId]/follow-ups", async (request, { params }: { params: Promise<{ customerId: string }> }) => {
  const customerId = parseInput((await params).customerId, customerIdSchema);
  const { cursor } = parseQuery(request, followUpQuerySchema);
  return json(await listFollowUps(customerId, cursor, await requestCaller(request)));
});
