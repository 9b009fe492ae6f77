import { toWallTime } from "@/lib/china-time";
import { chinaToday } from "@/lib/china-time";
import { defaultRange } from "@/lib/date-presets";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import { signedHeaders } from "@/lib/tanma/sign";
import { SIMULATOR_CREDENTIALS } from "@/lib/tanma/simulator-defaults";
import type { SimulatorProcess } from "../scripts/simulator-process";
import { round, roundSummary, type Summary, summarize } from "./stats";

/**
 * 1. Proxy overhead: the same 100-row page requests sent to Clue Desk's `GET /api/clues` (A) and, signed by
 * the bench itself, straight to the simulator's list endpoint (B). A and B alternate (ABBA order) so drift
 * on the machine hits both sides alike. Both sides read and parse the whole JSON body. Node's fetch keeps
 * connections alive (undici's default agent), as the app's own upstream client does.
 */

const PAGE_SIZE = 100;
const MAX_PAGES_PER_TYPE = 40;
const WARMUP_ROUNDS = 2;
const PAIRS_C1 = 240;
const PAIRS_C8 = 480;
const RPS_SECONDS = 6;
/** No phase runs longer than this, whatever the counts above. */
const PHASE_LIMIT_MS = 30_000;

/**
 * One page of the range both ways: `cursor` is Tanma's (the simulator's), `apiCursor` the app's own for the
 * same page. The app pages oldest first here (`order=asc`), as Tanma does, so page i is the same rows on both
 * sides; its cursors are sealed keyset positions, not Tanma's, so each side walks its own.
 */
type Spec = { since: string; before: string; type?: 1 | 2; cursor?: string; apiCursor?: string };

export type SideResult = { api: Summary; direct: Summary; addedP50: number; addedP95: number; addedP99: number; ratioP50: number; ratioP95: number };

export type ProxyResult = {
  range: { since: string; before: string };
  distinctRequests: number;
  responseEncoding: string;
  upstreamCallsPerApiCall: number;
  concurrency1: SideResult;
  concurrency8: SideResult;
  rps16: { api: number; direct: number; apiLatency: Summary };
  /**
   * What any answer costs before a route does any work, at concurrency 1: a Next.js route handler that only
   * answers (the JSON 404 of an unclaimed `/api/*` path, through the same gate) against the simulator's plain
   * Node HTTP status endpoint. Their difference is the framework's share of "added".
   */
  floor: { nextRoute: Summary; plainNode: Summary; addedP50: number };
  /** Concurrency 1 again with `Accept-Encoding: identity`: what Next.js's response gzip adds to "added". */
  uncompressed: SideResult;
};

export async function measureProxy(appOrigin: string, simulator: SimulatorProcess): Promise<ProxyResult> {
  const range = defaultRange(chinaToday());

  const apiPage = async (spec: Spec, encoding?: "identity"): Promise<{ count: number; nextCursor: string | null }> => {
    const q = new URLSearchParams({ since: spec.since, before: spec.before, size: String(PAGE_SIZE), order: "asc" });
    if (spec.type !== undefined) q.set("type", String(spec.type));
    if (spec.apiCursor !== undefined) q.set("cursor", spec.apiCursor);
    const headers = { accept: "application/json", ...(encoding ? { "accept-encoding": encoding } : {}) };
    const res = await fetch(`${appOrigin}/api/clues?${q.toString()}`, { headers });
    const body = (await res.json()) as { items?: unknown[]; nextCursor?: string | null };
    if (res.status !== 200 || !Array.isArray(body.items)) throw new Error(`GET /api/clues: HTTP ${res.status}`);
    return { count: body.items.length, nextCursor: body.nextCursor ?? null };
  };
  const callApi = async (spec: Spec, encoding?: "identity"): Promise<number> => (await apiPage(spec, encoding)).count;

  const callDirect = async (spec: Spec): Promise<{ count: number; nextCursor: string | null }> => {
    const rawBody = JSON.stringify({
      since: toWallTime(spec.since),
      before: toWallTime(spec.before),
      ...(spec.type !== undefined ? { type: spec.type } : {}),
      size: PAGE_SIZE,
      ...(spec.cursor !== undefined ? { cursor: spec.cursor } : {}),
    });
    const res = await fetch(simulator.baseUrl + TANMA_PATHS.clueList, {
      method: "POST",
      headers: signedHeaders(SIMULATOR_CREDENTIALS, rawBody),
      body: rawBody,
    });
    const envelope = (await res.json()) as { code?: number; data?: { list?: unknown[]; nextCursor?: string | null } };
    const list = envelope.data?.list;
    if (res.status !== 200 || envelope.code !== 0 || !Array.isArray(list)) {
      throw new Error(`simulator list: HTTP ${res.status}, code ${String(envelope.code)}`);
    }
    return { count: list.length, nextCursor: envelope.data?.nextCursor || null };
  };

  // The request set: every page of the range, for all / 个人 / 企业, found by walking the cursors.
  const specs: Spec[] = [];
  for (const type of [undefined, 1, 2] as const) {
    let cursor: string | undefined;
    let apiCursor: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_TYPE; page++) {
      const spec: Spec = { ...range, ...(type ? { type } : {}), ...(cursor ? { cursor } : {}), ...(apiCursor ? { apiCursor } : {}) };
      const [direct, api] = [await callDirect(spec), await apiPage(spec)];
      if (direct.count === 0) break;
      specs.push(spec);
      if (direct.nextCursor === null || api.nextCursor === null) break;
      cursor = direct.nextCursor;
      apiCursor = api.nextCursor;
    }
  }
  if (specs.length === 0) throw new Error("the simulator has no clues in the last 7 days");

  // Warm-up: JIT, the dictionary cache, connection pools. Also checks both sides answer the same rows.
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    for (const spec of specs) {
      const [a, b] = [await callApi(spec), await callDirect(spec)];
      if (a !== b.count) throw new Error(`/api/clues returned ${a} rows where the simulator returned ${b.count}`);
    }
  }
  const encodingProbe = await fetch(`${appOrigin}/api/clues?since=${range.since}&before=${range.before}&size=${PAGE_SIZE}`);
  const responseEncoding = encodingProbe.headers.get("content-encoding") ?? "identity";
  await encodingProbe.arrayBuffer();
  await runPairs(specs, 8, 48, callApi, callDirect); // warm the concurrent path too

  await simulator.resetStats();
  const c1 = await runPairs(specs, 1, PAIRS_C1, callApi, callDirect);
  const upstream = await simulator.stats();
  const upstreamCallsPerApiCall = (upstream.requests - c1.direct.length) / c1.api.length;
  const c8 = await runPairs(specs, 8, PAIRS_C8, callApi, callDirect);

  const floor = await measureFloor(appOrigin, simulator.origin);
  const uncompressed = await runPairs(specs, 1, PAIRS_C1, (s) => callApi(s, "identity"), callDirect);
  const rpsApi = await throughput(specs, 16, (s) => callApi(s));
  const rpsDirect = await throughput(specs, 16, (s) => callDirect(s));

  return {
    range,
    distinctRequests: specs.length,
    responseEncoding,
    upstreamCallsPerApiCall: round(upstreamCallsPerApiCall, 3),
    concurrency1: compare(c1),
    concurrency8: compare(c8),
    rps16: { api: round(rpsApi.rps, 1), direct: round(rpsDirect.rps, 1), apiLatency: roundSummary(summarize(rpsApi.latencies)) },
    floor,
    uncompressed: compare(uncompressed),
  };
}

async function measureFloor(appOrigin: string, simulatorOrigin: string): Promise<ProxyResult["floor"]> {
  const get = async (url: string, status: number) => {
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== status) throw new Error(`${url}: HTTP ${res.status}, expected ${status}`);
  };
  const nextRoute = () => get(`${appOrigin}/api/bench-floor`, 404);
  const plainNode = () => get(`${simulatorOrigin}/__sim/stats`, 200);
  await runPairs([null], 1, 100, nextRoute, plainNode);
  const samples = await runPairs([null], 1, PAIRS_C1, nextRoute, plainNode);
  const [next, plain] = [summarize(samples.api), summarize(samples.direct)];
  return { nextRoute: roundSummary(next), plainNode: roundSummary(plain), addedP50: round(next.p50 - plain.p50) };
}

function compare(samples: { api: number[]; direct: number[] }): SideResult {
  const api = summarize(samples.api);
  const direct = summarize(samples.direct);
  return {
    api: roundSummary(api),
    direct: roundSummary(direct),
    addedP50: round(api.p50 - direct.p50),
    addedP95: round(api.p95 - direct.p95),
    addedP99: round(api.p99 - direct.p99),
    ratioP50: round(api.p50 / direct.p50),
    ratioP95: round(api.p95 / direct.p95),
  };
}

/** `pairs` A/B pairs over `concurrency` workers; each worker alternates which side goes first. */
async function runPairs<S>(
  specs: readonly S[],
  concurrency: number,
  pairs: number,
  callApi: (s: S) => Promise<unknown>,
  callDirect: (s: S) => Promise<unknown>,
): Promise<{ api: number[]; direct: number[] }> {
  const api: number[] = [];
  const direct: number[] = [];
  const deadline = performance.now() + PHASE_LIMIT_MS;
  let next = 0;
  const timed = async (fn: () => Promise<unknown>, into: number[]) => {
    const t0 = performance.now();
    await fn();
    into.push(performance.now() - t0);
  };
  const worker = async () => {
    while (next < pairs && performance.now() < deadline) {
      const i = next++;
      const spec = specs[i % specs.length]!;
      if (i % 2 === 0) {
        await timed(() => callApi(spec), api);
        await timed(() => callDirect(spec), direct);
      } else {
        await timed(() => callDirect(spec), direct);
        await timed(() => callApi(spec), api);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { api, direct };
}

/** Completed requests per second with `concurrency` requests always in flight, for RPS_SECONDS. */
async function throughput(
  specs: Spec[],
  concurrency: number,
  call: (s: Spec) => Promise<unknown>,
): Promise<{ rps: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + RPS_SECONDS * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const spec = specs[next++ % specs.length]!;
      const t0 = performance.now();
      await call(spec);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { rps: latencies.length / ((performance.now() - start) / 1000), latencies };
}
