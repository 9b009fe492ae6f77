import { parseJsonBody } from "@/lib/api/json-body";
import { handleApiRoute, json } from "@/lib/api/respond";
import { NotFoundError } from "@/lib/errors";
import { viewOwner } from "@/lib/views/owner";
import { renameViewSchema, type SavedView, VIEW_NOT_FOUND, viewIdSchema } from "@/lib/views/schema";
import { deleteView, renameView } from "@/lib/views/service";

type Context = { params: Promise<{ id: string }> };

/** A malformed id names no view: the same 404 as another owner's view. */
async function viewId(context: Context): Promise<string> {
  const parsed = viewIdSchema.safeParse((await context.params).id);
  if (!parsed.success) throw new NotFoundError(VIEW_NOT_FOUND);
  return parsed.data;
}

/** `PATCH /api/views/{id}` `{name}`: renames the caller's view; 404 for a view that is not theirs, 409 for a taken name. */
export const PATCH = handleApiRoute("/api/views/[id]", async (request, context: Context) => {
  const id = await viewId(context);
  const { name } = await parseJsonBody(request, renameViewSchema);
  const { owner } = await viewOwner(request, { create: false });
  return json<SavedView>(await renameView(owner, id, name));
});

/** `DELETE /api/views/{id}`: removes the caller's view (204); 404 for a view that is not theirs. */
export const DELETE = handleApiRoute("/api/views/[id]", async (request, context: Context) => {
  const id = await viewId(context);
  const { owner } = await viewOwner(request, { create: false });
  await deleteView(owner, id);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});
