import "server-only";
import { authConfig } from "@/lib/auth/config";
import { sessionUser } from "@/lib/auth/session";

/**
 * Who is asking, for audit lines: the signed-in user's name. Without sign-in (the default against the built-in
 * simulator) there is no user to name, and the audit line says so rather than inventing one.
 */
export async function requestUser(request: Request): Promise<string> {
  const config = authConfig();
  if (!config.required) return "anonymous (sign-in off)";
  // handleApiRoute has already refused requests without a session; "unknown" is defensive only.
  return (await sessionUser(request, config)) ?? "unknown";
}
