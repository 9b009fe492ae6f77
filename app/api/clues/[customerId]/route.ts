import { requestCaller } from "@/lib/api/request-user";
import { handleApiRoute, json, parseInput } from "@/lib/api/respond";
import { customerIdSchema } from "@/lib/clues/schema";
import { getClueDetail } from "@/lib/clues/service";

export const GET = handleApiRoute("/api/clues/[customerId]", async (request, { params }: { params: Promise<{ customerId: string }> }) =>
  json(await getClueDetail(parseInput((await params).customerId, customerIdSchema), await requestCaller(request))),
);
