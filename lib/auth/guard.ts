import { requestCaller } from "@/lib/api/request-user";
import { authConfig } from "@/lib/auth/config";
import { TokenBuckets } from "@/lib/auth/rate-limit";
import { sessionUser } from "@/lib/auth/session";
import { copy } from "@/lib/copy";
import { isCrossOriginWrite } from "@/lib/security/same-origin";

/**
 * The gate in front of every `/api/*` route (called by `handleApiRoute`): a state-changing request from another
 * origin is refused (403, lib/security/same-origin.ts); with sign-in required, no session means 401; then each
 * caller (user, or client address when sign-in is off) gets a token bucket, and an empty bucket means 429 with
 * `Retry-After`. Returns the refusal, or undefined to go on.
 */

// One bucket table per process, also when several route bundles each load this module.
const BUCKETS = Symbol.for("clue-desk.api-rate-limit");
type Holder = { [BUCKETS]?: { limit: string; buckets: TokenBuckets } };

function buckets(rps: number, burst: number): TokenBuckets {
  const holder = globalThis as Holder;
  const limit = `${rps}/${burst}`;
  if (holder[BUCKETS]?.limit !== limit) holder[BUCKETS] = { limit, buckets: new TokenBuckets(rps, burst) };
  return holder[BUCKETS].buckets;
}

/** Why a request may not proceed; `handleApiRoute` turns it into the API's usual JSON error. */
export type ApiRefusal = { status: 401 | 403 | 429; error: string; retryAfterSeconds?: number };

export async function guardApiRequest(request: Request): Promise<ApiRefusal | undefined> {
  const config = authConfig();
  if (isCrossOriginWrite(request, config.appUrl)) return { status: 403, error: copy.auth.apiCrossOrigin };
  if (config.required && (await sessionUser(request, config)) === undefined) return { status: 401, error: copy.auth.apiUnauthorized };
  const { rps, burst } = config.rateLimit;
  if (rps <= 0) return undefined;
  const decision = buckets(rps, burst).take((await requestCaller(request)).user);
  if (decision.ok) return undefined;
  return { status: 429, error: copy.auth.apiRateLimited(decision.retryAfterSeconds), retryAfterSeconds: decision.retryAfterSeconds };
}
