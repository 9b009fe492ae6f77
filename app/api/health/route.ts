import { sql } from "drizzle-orm";
import { handleApiRoute, json } from "@/lib/api/respond";
import { openStore } from "@/lib/store/db";

/**
 * `GET /api/health`, for a load balancer's health check (no sign-in): 200 when this instance can reach its
 * lead store, else 503, so the balancer stops sending it requests it could not answer. Says nothing more
 * than the store's engine. Never rate limited: no other traffic may make an instance look down.
 */
export const GET = handleApiRoute(
  "/api/health",
  async () => {
    try {
      const { db, engine } = await openStore();
      await db.execute(sql`SELECT 1`);
      return json({ status: "ok", store: engine });
    } catch {
      return json({ status: "unavailable", error: "the lead store cannot be reached" }, 503);
    }
  },
  { anonymous: true, rateLimited: false },
);
