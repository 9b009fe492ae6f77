import { addDays, chinaToday } from "@/lib/china-time";
import { type Cluster, startCluster } from "../scripts/cluster";
import { startThrowawayPostgres } from "../scripts/postgres";
import { startSimulatorProcess } from "../scripts/simulator-process";
import type { Metric } from "./report";
import { BENCH_MAX_RPS } from "./servers";
import { round, roundSummary, type Summary, summarize } from "./stats";

/**
 * `/api/clues` answered from the store with one instance and with two, on one PostgreSQL server: the same
 * clients, the same stored 30 days, the same database, measured in alternating rounds (one, two, one, two …)
 * so that drift in the machine's load falls on both alike. Each client walks the range page by page,
 * newest first, starting over at its end; "one instance" sends every request to the first, "two" alternates.
 */

const CLIENTS = 16;
const ROUNDS = 3;
const ROUND_MS = 8_000;

type Throughput = { requests: number; rps: number; latency: Summary };
export type ClusterBench = { clients: number; leads: number; roundSeconds: number; rounds: number; one: Throughput; two: Throughput };

async function load(cluster: Cluster, instances: 1 | 2, range: { since: string; before: string }, ms: number): Promise<{ requests: number; latencies: number[] }> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      let cursor: string | null = null;
      for (let n = client; performance.now() < until; n++) {
        const origin = cluster.instances[instances === 1 ? 0 : n % 2]!.origin;
        const query = new URLSearchParams({ ...range, size: "50", ...(cursor ? { cursor } : {}) });
        const t0 = performance.now();
        const res = await fetch(`${origin}/api/clues?${query}`);
        const body = (await res.json()) as { nextCursor: string | null };
        if (!res.ok) throw new Error(`/api/clues: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        latencies.push(performance.now() - t0);
        cursor = body.nextCursor;
      }
    }),
  );
  return { requests: latencies.length, latencies };
}

export async function measureClusterThroughput(step: (m: string) => void): Promise<ClusterBench> {
  step("two instances on PostgreSQL: starting PostgreSQL, the simulator and the instances");
  const postgres = await startThrowawayPostgres();
  const simulator = await startSimulatorProcess({ SIM_LATENCY_MS: "0", SIM_ERROR_RATE: "0", SIM_RATE_LIMIT_RPS: "0", SIM_ARRIVALS_PER_MINUTE: "0", SIM_EDITS_PER_MINUTE: "0", SIM_REMOVALS_PER_MINUTE: "0" });
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster(postgres.url, 2, {
      TANMA_SIMULATOR_URL: simulator.baseUrl,
      TANMA_APP_ID: "",
      TANMA_APP_KEY: "",
      TANMA_MAX_RPS: String(BENCH_MAX_RPS),
      CLUE_DESK_SECRET: "bench-cluster-store-secret-0123456789abcdef",
      CLUE_DESK_AUTH: "",
      // One client address makes all the load: the per-client API limit would answer it with 429s.
      API_RATE_LIMIT_RPS: "0",
      STORE_LIVE_INTERVAL_S: "3600",
    });
    const today = chinaToday();
    const range = { since: addDays(today, -29), before: addDays(today, 1) };
    // Stored before measuring: a walk through every page waits for the days each needs.
    let leads = 0;
    for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
      const query = new URLSearchParams({ ...range, size: "100", ...(cursor ? { cursor } : {}) });
      const body = (await (await fetch(`${cluster.instances[0]!.origin}/api/clues?${query}`)).json()) as { nextCursor: string | null; total: number };
      leads = body.total;
      cursor = body.nextCursor;
    }
    const one: number[] = [];
    const two: number[] = [];
    let oneRequests = 0;
    let twoRequests = 0;
    for (let roundNo = 1; roundNo <= ROUNDS; roundNo++) {
      step(`two instances on PostgreSQL: round ${roundNo}/${ROUNDS}, ${CLIENTS} clients, one instance then two`);
      const a = await load(cluster, 1, range, ROUND_MS);
      one.push(...a.latencies);
      oneRequests += a.requests;
      const b = await load(cluster, 2, range, ROUND_MS);
      two.push(...b.latencies);
      twoRequests += b.requests;
    }
    const seconds = (ROUNDS * ROUND_MS) / 1000;
    return {
      clients: CLIENTS,
      leads,
      roundSeconds: ROUND_MS / 1000,
      rounds: ROUNDS,
      one: { requests: oneRequests, rps: round(oneRequests / seconds, 1), latency: roundSummary(summarize(one)) },
      two: { requests: twoRequests, rps: round(twoRequests / seconds, 1), latency: roundSummary(summarize(two)) },
    };
  } finally {
    await cluster?.stop();
    await simulator.stop();
    postgres.stop();
  }
}

export function clusterMetrics(c: ClusterBench): Metric[] {
  const section = `/api/clues from the store on PostgreSQL, ${c.clients} clients, ${c.leads.toLocaleString("en")} leads`;
  return [
    { id: "cluster.one.rps", section, label: "one instance: requests per second", value: c.one.rps, unit: "req/s", better: "higher" },
    { id: "cluster.two.rps", section, label: "two instances: requests per second", value: c.two.rps, unit: "req/s", better: "higher" },
    { id: "cluster.ratio", section, label: "two instances ÷ one", value: round(c.two.rps / c.one.rps, 2), unit: "×", better: "higher" },
    { id: "cluster.one.p95", section, label: "one instance: latency p95", value: c.one.latency.p95, unit: "ms", better: "lower" },
    { id: "cluster.two.p95", section, label: "two instances: latency p95", value: c.two.latency.p95, unit: "ms", better: "lower" },
  ];
}
