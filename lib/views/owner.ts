import "server-only";
import { randomBytes } from "node:crypto";
import { authConfig } from "@/lib/auth/config";
import { sessionUser } from "@/lib/auth/session";
import { clientAddress } from "@/lib/security/client-address";

/**
 * Whose saved views a request sees: the signed-in user's, or with sign-in off (the simulator's default) the
 * browser's, named by a random id in an HttpOnly cookie that the views API sets the first time a browser saves.
 */
export const BROWSER_COOKIE = "clue_desk_browser";
const BROWSER_ID = /^[0-9a-f]{32}$/;
const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** `client`: with sign-in off, the request's address (lib/security/client-address.ts), which caps views too. */
export type ViewOwner = { owner: string; setCookie?: string; client?: string };

function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The request's owner. `create`: a browser without an id gets a new one (and the cookie to keep it); otherwise
 * such a browser is an owner with no views.
 */
export async function viewOwner(request: Request, options: { create: boolean }): Promise<ViewOwner> {
  const config = authConfig();
  if (config.required) {
    // handleApiRoute has already refused requests without a session.
    const user = await sessionUser(request, config);
    if (user === undefined) throw new Error("views: no signed-in user behind a request the API gate let through");
    return { owner: `user:${user}` };
  }
  const address = clientAddress(request.headers);
  const client = address === undefined ? {} : { client: address };
  const id = cookieValue(request, BROWSER_COOKIE);
  if (id !== undefined && BROWSER_ID.test(id)) return { owner: `browser:${id}`, ...client };
  const fresh = randomBytes(16).toString("hex");
  if (!options.create) return { owner: `browser:${fresh}`, ...client };
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return {
    owner: `browser:${fresh}`,
    ...client,
    setCookie: `${BROWSER_COOKIE}=${fresh}; Path=/; Max-Age=${ONE_YEAR_S}; HttpOnly; SameSite=Lax${secure}`,
  };
}
