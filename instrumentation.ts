/**
 * Runs once when the Next.js server starts: a wrong Tanma configuration stops the server with a clear
 * message instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { tanmaConfig } = await import("@/lib/tanma/config");
  const { mode, baseUrl } = tanmaConfig();
  console.info(JSON.stringify({ event: "tanma_config", mode, baseUrl }));
}
