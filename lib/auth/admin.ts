import "server-only";
import { pageRequest } from "@/lib/api/request-user";
import { ForbiddenError } from "@/lib/errors";
import { authConfig } from "@/lib/auth/config";
import { sessionUser } from "@/lib/auth/session";
import { copy } from "@/lib/copy";

/**
 * Admins (`CLUE_DESK_ADMINS`) may read the audit trail. Only a signed-in user can be one: with sign-in off
 * every visitor is the same anonymous caller, so nobody is.
 */
export async function isAdmin(request: Request): Promise<boolean> {
  const config = authConfig();
  if (!config.required) return false;
  const user = await sessionUser(request, config);
  return user !== undefined && config.admins.has(user);
}

/** For the audit routes: a non-admin's request is a 403, before its input is even read. */
export async function requireAdmin(request: Request): Promise<void> {
  if (!(await isAdmin(request))) throw new ForbiddenError(copy.auth.apiAdminOnly);
}

/** `isAdmin` for a page's server render (the audit page, the header's link to it). */
export async function isAdminPage(): Promise<boolean> {
  return isAdmin(await pageRequest());
}
