import "server-only";
import { headers } from "next/headers";
import { authConfig } from "@/lib/auth/config";
import { sessionUser } from "@/lib/auth/session";
import { clientAddress } from "@/lib/security/client-address";
import type { Auditee, Searcher } from "@/lib/audit/schema";

/**
 * Who is asking. `requestUser` names the signed-in user for audit lines. `requestCaller` is whom a request is
 * served for, the key of the API rate limit and of the fair share of Tanma's budget (lib/tanma/client.ts): the
 * signed-in user, or without sign-in (or without a session) the client's address (lib/security/client-address.ts).
 */

export async function requestUser(request: Request): Promise<string> {
  const config = authConfig();
  if (!config.required) return "anonymous (sign-in off)";
  // handleApiRoute has already refused requests without a session; "unknown" is defensive only.
  return (await sessionUser(request, config)) ?? "unknown";
}

/** Who an audit event names: the user as `requestUser` names them, and the client's address. */
export async function requestAuditee(request: Request): Promise<Auditee> {
  return { actor: await requestUser(request), client: clientAddress(request.headers) ?? null };
}

/** Who a search is by, for the whole-number search limit (lib/audit/store/phone-searches.ts): per user, or with sign-in off per address. */
export async function requestSearcher(request: Request): Promise<Searcher> {
  return { ...(await requestAuditee(request)), perClient: !authConfig().required };
}

/** `requestCaller` once the request's signed-in user (if any) is known: that user, or else the client's address. */
export function callerKey(request: Request, user: string | undefined): string {
  return user === undefined ? `client:${clientAddress(request.headers) ?? "unknown"}` : `user:${user}`;
}

export async function requestCaller(request: Request): Promise<{ user: string }> {
  const config = authConfig();
  return { user: callerKey(request, config.required ? await sessionUser(request, config) : undefined) };
}

/** A page's server render as a `Request` (only its headers are real), for the helpers above that take one. */
export async function pageRequest(): Promise<Request> {
  return new Request("http://page.invalid/", { headers: await headers() });
}

/** `requestCaller` for a page's server render. */
export async function pageCaller(): Promise<{ user: string }> {
  return requestCaller(await pageRequest());
}
