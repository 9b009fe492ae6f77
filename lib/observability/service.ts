import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { json } from "@/lib/api/respond";
import { serverEnv } from "@/lib/env";
import { scrape } from "@/lib/observability/metrics";

/**
 * `GET /api/metrics`: the registry for Prometheus, to whoever shows `Authorization: Bearer <METRICS_TOKEN>`.
 * Without the variable the endpoint does not exist (404); a missing or wrong token is a 401. The tokens are
 * compared as SHA-256 digests with `timingSafeEqual`: equal lengths, and a time that says nothing of the token.
 */
const digest = (text: string) => createHash("sha256").update(text).digest();

function bearerMatches(request: Request, token: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(token));
}

export async function metricsResponse(request: Request): Promise<Response> {
  const token = serverEnv().METRICS_TOKEN;
  if (token === undefined) return json({ error: "not found" }, 404);
  if (!bearerMatches(request, token)) return json({ error: "a valid metrics token is required" }, 401, { "www-authenticate": "Bearer" });
  const { contentType, body } = await scrape();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
