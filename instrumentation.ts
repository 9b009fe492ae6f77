/**
 * Runs once when the Next.js server starts: a wrong Tanma configuration stops the server with a clear
 * message instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { tanmaConfig } = await import("@/lib/tanma/config");
  const { mode, baseUrl } = tanmaConfig();
  console.info(JSON.stringify({ event: "tanma_config", mode, baseUrl }));
  // A real tenant with no way to sign in (or no NEXTAUTH_SECRET) stops the server here, saying why.
  const { authConfig } = await import("@/lib/auth/config");
  const auth = authConfig();
  console.info(JSON.stringify({ event: "auth_config", signIn: auth.required ? "required" : "off", users: auth.required ? auth.users.size : 0, oidc: auth.required && auth.oidc !== undefined }));
}
