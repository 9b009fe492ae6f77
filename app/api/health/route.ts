import { handleApiRoute, json } from "@/lib/api/respond";
import { storeHealth } from "@/lib/health/service";

/**
 * `GET /api/health`, for a load balancer's health check (no sign-in): 200 when this instance can reach its
 * lead store, else 503, so the balancer stops sending it requests it could not answer. Says nothing more
 * than the store's engine. Never rate limited: no other traffic may make an instance look down.
 */
export const GET = handleApiRoute(
  "/api/health",
  async () => {
    const health = await storeHealth();
    return json(health, health.status === "ok" ? 200 : 503);
  },
  { anonymous: true, rateLimited: false },
);
