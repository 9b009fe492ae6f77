import { requestCaller } from "@/lib/api/request-user";
import { authConfig } from "@/lib/auth/config";
import { type RateLimiter, TokenBuckets } from "@/lib/auth/rate-limit";
import { sessionUser } from "@/lib/auth/session";
import { copy } from "@/lib/copy";
import { isCrossOriginWrite } from "@/lib/security/same-origin";
import { storeIsShared } from "@/lib/db/config";
import { StoredRateLimits } from "@/lib/auth/store/rate-limits";

/**
 * The gate in front of every `/api/*` route (called by `handleApiRoute`): a state-changing request from another
 * origin is refused (403, lib/security/same-origin.ts); with sign-in required, no session means 401; then each
 * caller (user, or client address when sign-in is off) gets a token bucket, and an empty bucket means 429 with
 * `Retry-After`. Returns the refusal, or undefined to go on.
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

/** `anonymous`: a route anyone may call (a load balancer's health check); the origin check and rate limit still apply. */
export async function guardApiRequest(request: Request, { anonymous = false } = {}): Promise<ApiRefusal | undefined> {
  const config = authConfig();
  if (isCrossOriginWrite(request, config.appUrl)) return { status: 403, error: copy.auth.apiCrossOrigin };
  if (config.required && !anonymous && (await sessionUser(request, config)) === undefined) return { status: 401, error: copy.auth.apiUnauthorized };
  const { rps, burst } = config.rateLimit;
  if (rps <= 0) return undefined;
  const decision = await buckets(rps, burst).take((await requestCaller(request)).user);
  if (decision.ok) return undefined;
  return { status: 429, error: copy.auth.apiRateLimited(decision.retryAfterSeconds), retryAfterSeconds: decision.retryAfterSeconds };
}
