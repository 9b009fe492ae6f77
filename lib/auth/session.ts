import { createHash } from "node:crypto";
import { getToken, type JWT } from "next-auth/jwt";
import type { AuthConfig } from "@/lib/auth/config";

/**
 * Sessions are Auth.js JWT cookies, and a token alone would stay good for its whole life. So every use of one
 * (the API gate, the page proxy, and Auth.js's own session reads and renewals, lib/auth/options.ts) also asks
 * whether its user may still sign in under the configuration the server runs with now: a local user must
 * still be listed in `CLUE_DESK_USERS` with the same password hash, an SSO user needs SSO still configured.
 * Removing a user or changing their password therefore ends their sessions at the next restart of the server
 * with the new configuration; rotating `NEXTAUTH_SECRET` ends everyone's.
 */

type Required = Extract<AuthConfig, { required: true }>;

/** What a token records at sign-in (lib/auth/options.ts): the provider, and for a local user their hash's digest. */
export type SessionClaims = { provider: "credentials" | "oidc"; credential?: string };

/** A digest of a user's stored hash: a token carries it, so a changed password no longer matches old tokens. */
export function credentialDigest(hash: string): string {
  return createHash("sha256").update(hash, "utf8").digest("base64url").slice(0, 22);
}

/** The token's user, if that user may still sign in under `config`; otherwise undefined. */
export function allowedSessionUser(token: JWT | null, config: Required): string | undefined {
  const user = token?.sub;
  if (typeof user !== "string" || user === "") return undefined;
  if (token!.provider === "credentials") {
    const hash = config.users.get(user);
    return hash !== undefined && token!.credential === credentialDigest(hash) ? user : undefined;
  }
  if (token!.provider === "oidc") return config.oidc !== undefined ? user : undefined;
  return undefined;
}

async function readSessionUser(request: Request, config: Required): Promise<string | undefined> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  const token: JWT | null = await getToken({
    // getToken reads `cookies` as a plain object and `headers` for a Bearer fallback we do not offer.
    req: { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: config.secret,
    secureCookie: config.secureCookies,
    logger: { error: () => {}, warn: () => {}, debug: () => {} } as never,
  });
  return allowedSessionUser(token, config);
}

// One decryption per request, however many places ask (the gate, then the handler for audit and fair share).
const seen = new WeakMap<Request, Promise<string | undefined>>();

/** The signed-in, still-allowed user of a plain `Request` (route handlers, tests, the proxy). */
export function sessionUser(request: Request, config: Required): Promise<string | undefined> {
  let user = seen.get(request);
  if (user === undefined) {
    user = readSessionUser(request, config);
    seen.set(request, user);
  }
  return user;
}
