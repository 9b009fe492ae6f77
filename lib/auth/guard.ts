import { authConfig } from "@/lib/auth/config";
import { TokenBuckets } from "@/lib/auth/rate-limit";
import { sessionUser } from "@/lib/auth/session";
import { copy } from "@/lib/copy";

/**
 * The gate in front of every `/api/*` route (called by `handleApiRoute`): with sign-in required, no session
 * means 401; then each user (each client IP when sign-in is off) gets a token bucket, and an empty bucket
 * means 429 with `Retry-After`. Returns the refusal, or undefined to go on.
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
export type ApiRefusal = { status: 401 | 429; error: string; retryAfterSeconds?: number };

export async function guardApiRequest(request: Request): Promise<ApiRefusal | undefined> {
  const config = authConfig();
  let key: string;
  if (config.required) {
    const user = await sessionUser(request, config);
    if (user === undefined) return { status: 401, error: copy.auth.apiUnauthorized };
    key = `user:${user}`;
  } else {
    // Next.js sets x-forwarded-for from the socket when a client did not; without sign-in this is best effort.
    key = `ip:${request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown"}`;
  }
  const { rps, burst } = config.rateLimit;
  if (rps <= 0) return undefined;
  const decision = buckets(rps, burst).take(key);
  if (decision.ok) return undefined;
  return { status: 429, error: copy.auth.apiRateLimited(decision.retryAfterSeconds), retryAfterSeconds: decision.retryAfterSeconds };
}
