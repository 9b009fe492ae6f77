/**
 * Runs once when the Next.js server starts: traces when an OpenTelemetry collector is configured, validates the
 * configuration before any request is served, counts requests in flight (drained at shutdown), opens the store,
 * and puts the front door (lib/security/front-door.ts) in front of the server's request handling.
 */
export async function register() {
  // Traces only with a collector to send them to: without OTEL_EXPORTER_OTLP_ENDPOINT no OpenTelemetry SDK is
  // loaded. @vercel/otel registers the SDK Next.js's own spans go to (each request, its route and fetches,
  // so each Tanma call), with the OTLP exporter the standard OTEL_* variables configure.
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const { registerOTel } = await import("@vercel/otel");
    registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || "clue-desk" });
  }
  // The rest use Node APIs, so they are loaded only in the Node.js runtime (never bundled for the edge).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkStartupConfig } = await import("@/lib/startup-check");
  checkStartupConfig();
  const { trackRequests } = await import("@/lib/server/drain");
  trackRequests();
  // The lead store opens (and migrates) now, not on the first request, and today's follower starts.
  const { startStore } = await import("@/lib/start-store");
  await startStore();
  const { installFrontDoor } = await import("@/lib/security/front-door");
  installFrontDoor();
}
