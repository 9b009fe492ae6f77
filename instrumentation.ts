/**
 * Runs once when the Next.js server starts: validates the configuration before any request is served, and puts
 * the front door (lib/security/front-door.ts) in front of the server's request handling.
 */
export async function register() {
  // Both use Node APIs, so they are loaded only in the Node.js runtime (never bundled for the edge).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkStartupConfig } = await import("@/lib/startup-check");
  checkStartupConfig();
  // The lead store opens (and migrates) now, not on the first request, and today's follower starts.
  const { startStore } = await import("@/lib/start-store");
  await startStore();
  const { installFrontDoor } = await import("@/lib/security/front-door");
  installFrontDoor();
}
