import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every Prometheus metric this process exports (README, "Metrics", says what each means), in one registry
 * served by `GET /api/metrics`. The registry and its metrics live on `globalThis`: Next.js may load this module
 * once per route bundle, and a second registry would count half of the requests. Each instance labels its
 * own series with `instance_id` (its follower-lease holder id), so a scrape of every instance adds up.
 *
 * Labels take values from small fixed sets only (route patterns, Tanma paths, outcome kinds and codes,
 * audit actions): never a user, a lead id or a URL, so the number of series stays bounded.
 *
 * The store's gauges are read from the store at scrape time by the function the lead copy registers
 * (`onScrape`), so this room knows no feature.
 */

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics(registry: Registry) {
  const registers = [registry];
  return {
    httpRequests: new Histogram({
      name: "clue_desk_http_request_duration_seconds",
      help: "API requests by route pattern, method and status, and how long each took to answer (its _count is the request count).",
      labelNames: ["route", "method", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tanmaCalls: new Histogram({
      name: "clue_desk_tanma_call_duration_seconds",
      help: "Tanma calls (each attempt) by path and outcome (ok, notFound, business, network, timeout, protocol) with Tanma's code, and how long each took.",
      labelNames: ["path", "outcome", "code"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tanmaRetries: new Counter({
      name: "clue_desk_tanma_retries_total",
      help: "Tanma calls attempted again after a transient failure (network, HTTP 5xx, timeout, the clock-skew code), by path.",
      labelNames: ["path"] as const,
      registers,
    }),
    limiterWait: new Histogram({
      name: "clue_desk_tanma_limiter_wait_seconds",
      help: "How long a Tanma call waited for its turn at the request budget (TANMA_MAX_RPS), by caller kind (user, system).",
      labelNames: ["caller"] as const,
      buckets: [0, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    refusals: new Counter({
      name: "clue_desk_refusals_total",
      help: "Requests refused with 429 by a limit: tanma_budget (a user's Tanma call would wait past TANMA_MAX_WAIT_MS), api_rate_limit (API_RATE_LIMIT_RPS).",
      labelNames: ["limit"] as const,
      registers,
    }),
    storeWalks: new Counter({
      name: "clue_desk_store_walks_total",
      help: "Walks of the lead store's copy: kind day (a whole China day replaced) or arrivals (today's follower step), by outcome (ok, failed).",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    auditedActions: new Counter({
      name: "clue_desk_audited_actions_total",
      help: "Actions recorded in the audit trail, by action: export and audit_export (downloads), phone_reveal, phone_search, forced_sync, sign_in, sign_in_failed.",
      labelNames: ["action"] as const,
      registers,
    }),
    follower: new Gauge({
      name: "clue_desk_store_follower",
      help: "1 while this instance holds the follower lease (it follows today's arrivals for all instances), else 0.",
      registers,
    }),
    storeLeads: new Gauge({ name: "clue_desk_store_leads", help: "Leads in the store's copy.", registers }),
    storeDays: new Gauge({ name: "clue_desk_store_days", help: "China days whose copy is complete (walked at least once).", registers }),
    liveLag: new Gauge({
      name: "clue_desk_store_live_lag_seconds",
      help: "Age of today's data: seconds since today's copy was last confirmed current (a walk or the follower's last call). Absent before today's first walk.",
      registers,
    }),
    unsyncedReadDays: new Gauge({ name: "clue_desk_store_unsynced_read_days", help: "Days users have read whose copy was never completed (cold days waiting for, or failing, their first walk).", registers }),
    oldestUnsyncedRead: new Gauge({
      name: "clue_desk_store_oldest_unsynced_read_seconds",
      help: "Seconds since the oldest read of a day whose copy is still not complete; 0 when there is none.",
      registers,
    }),
    outboxLeads: new Gauge({
      name: "clue_desk_notify_outbox_leads",
      help: "Leads in the notification outbox by status: pending (waiting to be sent, or retried) and failed (given up after an hour of retries).",
      labelNames: ["status"] as const,
      registers,
    }),
    inFlight: new Gauge({ name: "clue_desk_http_in_flight_requests", help: "HTTP requests this instance is serving now (drained on SIGTERM).", registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
type Observability = { registry: Registry; metrics: Metrics; scrapeHooks: Map<string, () => Promise<void>> };

const OBSERVABILITY = Symbol.for("clue-desk.observability");
type Holder = { [OBSERVABILITY]?: Observability };

function observability(): Observability {
  const holder = globalThis as Holder;
  if (!holder[OBSERVABILITY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "clue_desk_" });
    holder[OBSERVABILITY] = { registry, metrics: createMetrics(registry), scrapeHooks: new Map() };
  }
  return holder[OBSERVABILITY];
}

export function metrics(): Metrics {
  return observability().metrics;
}

/** Names this instance on every series (set once at start, lib/start-store.ts). */
export function labelInstance(instanceId: string): void {
  observability().registry.setDefaultLabels({ instance_id: instanceId });
}

/**
 * Registers, under `name` (a module loaded twice registers once), a function that sets gauges read at scrape
 * time; its failure leaves their last values and is logged.
 */
export function onScrape(name: string, hook: () => Promise<void>): void {
  observability().scrapeHooks.set(name, hook);
}

/** The registry in Prometheus's text format, gauges read from the store first. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  const { registry, scrapeHooks } = observability();
  await Promise.all(
    [...scrapeHooks.values()].map((hook) => hook().catch((error: unknown) => console.error(JSON.stringify({ event: "metrics_scrape_failed", error: String(error).slice(0, 200) })))),
  );
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** Seconds since `started` (a `performance.now()` reading). */
export const secondsSince = (started: number) => (performance.now() - started) / 1000;
