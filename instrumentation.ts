/**
 * Runs once when the Next.js server starts: a wrong Tanma configuration stops the server with a clear
 * message instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { tanmaConfig } = await import("@/lib/tanma/config");
  const { mode, baseUrl } = tanmaConfig();
  console.info(JSON.stringify({ event: "tanma_config", mode, baseUrl }));
  // A real tenant with no way to sign in (or no NEXTAUTH_SECRET) stops the server, saying why. Next.js only
  // logs a throwing register() and goes on serving, so exit explicitly.
  const { authConfig } = await import("@/lib/auth/config");
  try {
    const auth = authConfig();
    const users = auth.required ? auth.users.size : 0;
    console.info(JSON.stringify({ event: "auth_config", signIn: auth.required ? "required" : "off", users, oidc: auth.required && !!auth.oidc }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
