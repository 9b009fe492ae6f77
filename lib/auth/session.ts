import { getToken, type JWT } from "next-auth/jwt";
import type { AuthConfig } from "@/lib/auth/config";

/** The signed-in user's name from the session cookie of a plain `Request` (route handlers, tests, the proxy). */
export async function sessionUser(request: Request, config: Extract<AuthConfig, { required: true }>): Promise<string | undefined> {
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
  const user = token?.sub ?? token?.name ?? token?.email;
  return typeof user === "string" && user !== "" ? user : undefined;
}
