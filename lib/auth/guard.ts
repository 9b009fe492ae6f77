import { callerKey } from "@/lib/api/request-user";
import { authConfig } from "@/lib/auth/config";
import { type RateLimiter, TokenBuckets } from "@/lib/auth/rate-limit";
import { sessionUser } from "@/lib/auth/session";
import { copy } from "@/lib/copy";
import { isCrossOriginRequest, isCrossOriginWrite } from "@/lib/security/same-origin";
import { storeIsShared } from "@/lib/db/config";
import { StoredRateLimits } from "@/lib/auth/store/rate-limits";
import { metrics } from "@/lib/observability/metrics";

/**
 * The gate in front of every `/api/*` route (called by `handleApiRoute`): a state-changing request from another
 * origin is refused (403, lib/security/same-origin.ts), and on a route that asks for it any request from one;
 * then each caller gets a token bucket, and an empty bucket means 429 with `Retry-After`: a signed-in user's
 * own, anyone else's by client address (with sign-in off, or without a session: such requests must not share
 * one bucket); with sign-in required, no session then means 401. Returns the refusal, or undefined to go on.
 */

// One limiter per process, also when several route bundles each load this module.
const BUCKETS = Symbol.for("clue-desk.api-rate-limit");
type Holder = { [BUCKETS]?: { limit: string; buckets: RateLimiter } };

/** Kept in the store when it is PostgreSQL, so the limit holds across instances; in memory with the embedded one. */
function buckets(rps: number, burst: number): RateLimiter {
  const holder = globalThis as Holder;
  const limit = `${rps}/${burst}`;
  if (holder[BUCKETS]?.limit !== limit) {
    const buckets = storeIsShared() ? new StoredRateLimits(rps, burst) : new TokenBuckets(rps, burst);
    holder[BUCKETS] = { limit, buckets };
  }
  return holder[BUCKETS].buckets;
}

/** Why a request may not proceed; `handleApiRoute` turns it into the API's usual JSON error. */
export type ApiRefusal = { status: 401 | 403 | 429; error: string; retryAfterSeconds?: number };

/** How a route is guarded beyond the defaults. */
export type GuardOptions = {
  /** A route anyone may call. */
  anonymous?: boolean;
  /** False for a route no traffic may crowd out (the load balancer's health check, one `SELECT 1`: limited, a flood of other requests failed it). */
  rateLimited?: boolean;
  /** A read that acts (an export, recorded under the user's name) must come from our own origin like a write. */
  sameOriginOnly?: boolean;
};

export async function guardApiRequest(request: Request, { anonymous = false, rateLimited = true, sameOriginOnly = false }: GuardOptions = {}): Promise<ApiRefusal | undefined> {
  const config = authConfig();
  const crossOrigin = sameOriginOnly ? isCrossOriginRequest(request, config.appUrl) : isCrossOriginWrite(request, config.appUrl);
  if (crossOrigin) return { status: 403, error: copy.auth.apiCrossOrigin };
  const user = config.required ? await sessionUser(request, config) : undefined;
  const { rps, burst } = config.rateLimit;
  if (rateLimited && rps > 0) {
    const decision = await buckets(rps, burst).take(callerKey(request, user));
    if (!decision.ok) {
      metrics().refusals.inc({ limit: "api_rate_limit" });
      return { status: 429, error: copy.auth.apiRateLimited(decision.retryAfterSeconds), retryAfterSeconds: decision.retryAfterSeconds };
    }
  }
  if (config.required && !anonymous && user === undefined) return { status: 401, error: copy.auth.apiUnauthorized };
  return undefined;
}
