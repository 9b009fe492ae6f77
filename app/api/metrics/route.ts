import { handleApiRoute } from "@/lib/api/respond";
import { metricsResponse } from "@/lib/observability/service";

/**
 * `GET /api/metrics`, for Prometheus (README, "Metrics"): its own bearer token (METRICS_TOKEN) instead of a
 * sign-in, and never rate limited, so no traffic hides an instance's numbers.
 */
export const GET = handleApiRoute("/api/metrics", metricsResponse, { anonymous: true, rateLimited: false });
