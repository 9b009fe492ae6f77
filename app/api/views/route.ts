import { parseJsonBody } from "@/lib/api/json-body";
import { handleApiRoute, json } from "@/lib/api/respond";
import { viewOwner } from "@/lib/views/owner";
import { createViewSchema, type SavedView, type SavedViewList } from "@/lib/views/schema";
import { createView, listViews } from "@/lib/views/service";

/** `GET /api/views`: the caller's saved views, by name. */
export const GET = handleApiRoute("/api/views", async (request) => {
  const { owner } = await viewOwner(request, { create: false });
  return json<SavedViewList>({ views: await listViews(owner) });
});

/** `POST /api/views` `{name, query}`: saves the filters under a name (201); a name the caller already uses is a 409. */
export const POST = handleApiRoute("/api/views", async (request) => {
  const input = await parseJsonBody(request, createViewSchema);
  const { owner, setCookie, client } = await viewOwner(request, { create: true });
  const view = await createView(owner, input, client);
  return json<SavedView>(view, 201, setCookie === undefined ? {} : { "set-cookie": setCookie });
});
