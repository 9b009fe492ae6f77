import { readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { parse as parseCsv } from "csv-parse";
import { addDays, chinaToday } from "@/lib/china-time";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import type { Metric } from "./report";
import { startServers } from "./servers";
import { round, roundSummary, type Summary, summarize } from "./stats";

/**
 * The lead store, each figure measured in this run against a fresh store:
 * - at 100,000 stored leads (the simulator's volume knob): facets latency, and a 100,000-row export (seconds,
 *   and the server's peak memory above its resting size); search at that scale is bench/desk.ts's;
 * - a cold 30-day range at Tanma's default quota (TANMA_MAX_RPS=10): the first page, and the whole range stored;
 * - a second user reading the range the first one stored: the upstream calls it costs.
 */

/** 556 a day over the simulator's 180 days of history: 100,080 leads. */
const LEADS_PER_DAY = 556;
const HISTORY_DAYS = 180;
const FACET_SAMPLES = 30;

export type StoreBench = {
  storedLeads: number;
  /** Time to store all 180 days through the list API (walks at 4 at once, no quota). */
  fillSeconds: number;
  facets30: Summary;
  facets180: Summary;
  /** The first facets read of each range: counted from the leads; the samples after it are kept answers. */
  facetsFirst: { days30: number; days180: number };
  export: { rows: number; seconds: number; bytes: number; rssBaseMB: number; rssPeakMB: number };
  /** Trivial requests' latency while heavy ones run (trivialRequestsUnderLoad). */
  underLoad: { dictionary: Summary; health: Summary };
  cold: { firstPageMs: number; fullSyncSeconds: number; days: number; upstreamCalls: number; peakRps: number };
  secondUser: { pages: number; rows: number; upstreamListCalls: number };
};

type ListAnswer = { items: { customerId: string; fields: { key: string; values: string[] }[]; company: { name: string } | null }[]; nextCursor: string | null; total: number; sync: { pendingDays: number } };

async function getJson<T>(url: string): Promise<{ body: T; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as T;
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return { body, ms };
}

/** Resident memory of a process and its descendants, in MB (Linux /proc). */
function treeRssMB(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  let kb = 0;
  const visit = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return kb / 1024;
}

async function at100k(step: (m: string) => void): Promise<Pick<StoreBench, "storedLeads" | "fillSeconds" | "facets30" | "facets180" | "facetsFirst" | "export" | "underLoad">> {
  const servers = await startServers({
    simulatorEnv: { SIM_LEADS_PER_DAY: String(LEADS_PER_DAY) },
    appEnv: { EXPORT_MAX_ROWS: "200000", STORE_LIVE_INTERVAL_S: "3600" },
  });
  try {
    const today = chinaToday();
    const all = { since: addDays(today, -(HISTORY_DAYS - 1)), before: addDays(today, 1) };
    const month = { since: addDays(today, -29), before: addDays(today, 1) };
    const base = `${servers.appOrigin}/api/clues`;

    step(`store at 100k: filling ${HISTORY_DAYS} days`);
    const t0 = performance.now();
    let first = await getJson<ListAnswer>(`${base}?since=${all.since}&before=${all.before}&size=100`);
    // The first read waits for the days its page needs; the rest are walked behind it. Poll until all are in.
    while (first.body.sync.pendingDays > 0) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      first = await getJson<ListAnswer>(`${base}?since=${all.since}&before=${all.before}&size=1`);
    }
    const fillSeconds = (performance.now() - t0) / 1000;
    const storedLeads = first.body.total;

    step("store at 100k: facets");
    const facetsFirst = {
      days30: round((await getJson(`${base}/facets?since=${month.since}&before=${month.before}`)).ms),
      days180: round((await getJson(`${base}/facets?since=${all.since}&before=${all.before}`)).ms),
    };
    const facets30: number[] = [];
    const facets180: number[] = [];
    for (let i = 0; i < FACET_SAMPLES; i++) {
      facets30.push((await getJson(`${base}/facets?since=${month.since}&before=${month.before}`)).ms);
      facets180.push((await getJson(`${base}/facets?since=${all.since}&before=${all.before}`)).ms);
    }

    step("store at 100k: export of every lead as CSV");
    const rssBaseMB = treeRssMB(servers.appPid);
    let rssPeakMB = rssBaseMB;
    const sampler = setInterval(() => {
      rssPeakMB = Math.max(rssPeakMB, treeRssMB(servers.appPid));
    }, 25);
    const e0 = performance.now();
    const res = await fetch(`${base}/export?since=${all.since}&before=${all.before}&format=csv`);
    if (!res.ok || !res.body) throw new Error(`export: HTTP ${res.status}`);
    // Records, not lines: a quoted description may hold line breaks. Parsed as the file arrives.
    let bytes = 0;
    let rows = 0;
    const records = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>)
      .on("data", (chunk: Buffer) => (bytes += chunk.byteLength))
      .pipe(parseCsv({ bom: true, from_line: 2 }))
      .on("data", () => rows++);
    await finished(records);
    const seconds = (performance.now() - e0) / 1000;
    clearInterval(sampler);

    step("store at 100k: trivial requests while an export and 180-day facets run");
    const underLoad = await trivialRequestsUnderLoad(servers.appOrigin, [
      `${base}/export?since=${all.since}&before=${all.before}&format=csv`,
      `${base}/facets?since=${all.since}&before=${all.before}&status=clue`,
      `${base}/facets?since=${all.since}&before=${all.before}&type=1`,
    ]);
    return {
      underLoad,
      storedLeads,
      fillSeconds: round(fillSeconds, 1),
      facets30: roundSummary(summarize(facets30)),
      facets180: roundSummary(summarize(facets180)),
      facetsFirst,
      export: { rows, seconds: round(seconds, 2), bytes, rssBaseMB: round(rssBaseMB, 1), rssPeakMB: round(rssPeakMB, 1) },
    };
  } finally {
    await servers.stop();
  }
}

async function coldRange(step: (m: string) => void): Promise<Pick<StoreBench, "cold" | "secondUser">> {
  const servers = await startServers({ appEnv: { TANMA_MAX_RPS: "10", STORE_LIVE_INTERVAL_S: "3600" } });
  try {
    const today = chinaToday();
    const month = { since: addDays(today, -29), before: addDays(today, 1) };
    const url = (extra = "", size = 100) => `${servers.appOrigin}/api/clues?since=${month.since}&before=${month.before}&size=${size}${extra}`;
    // The dictionary (two calls) is loaded before timing, as any running server has it.
    await getJson(`${servers.appOrigin}/api/dictionary`);
    await servers.simulator.resetStats();

    step("cold 30-day range at TANMA_MAX_RPS=10");
    const t0 = performance.now();
    let page = await getJson<ListAnswer>(url());
    const firstPageMs = page.ms;
    while (page.body.sync.pendingDays > 0) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      page = await getJson<ListAnswer>(url("", 1));
    }
    const fullSyncSeconds = (performance.now() - t0) / 1000;
    const stats = await servers.simulator.stats();

    step("a second user reads the same range");
    await servers.simulator.resetStats();
    let cursor: string | null = null;
    let pages = 0;
    let rows = 0;
    do {
      const next: { body: ListAnswer } = await getJson<ListAnswer>(url(cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
      rows += next.body.items.length;
      pages++;
      cursor = next.body.nextCursor;
    } while (cursor !== null);
    const after = await servers.simulator.stats();
    return {
      cold: { firstPageMs: round(firstPageMs), fullSyncSeconds: round(fullSyncSeconds, 1), days: 30, upstreamCalls: stats.requests, peakRps: stats.peakRps },
      secondUser: { pages, rows, upstreamListCalls: after.byPath[TANMA_PATHS.clueList] ?? 0 },
    };
  } finally {
    await servers.stop();
  }
}

/**
 * How long requests that need no heavy work wait while heavy ones run: the dictionary (held in memory: the event
 * loop's share) and the health check (one trivial query: the engine's share), sampled every 50 ms until the
 * heavy requests have all answered.
 */
async function trivialRequestsUnderLoad(origin: string, heavy: string[]): Promise<{ dictionary: Summary; health: Summary }> {
  let busy = true;
  const loads = Promise.all(heavy.map(async (url) => (await fetch(url)).arrayBuffer())).finally(() => (busy = false));
  const samples = { dictionary: [] as number[], health: [] as number[] };
  const sample = async (key: keyof typeof samples, path: string) => {
    while (busy) {
      const t = performance.now();
      await (await fetch(`${origin}${path}`)).arrayBuffer();
      samples[key].push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all([loads, sample("dictionary", "/api/dictionary"), sample("health", "/api/health")]);
  return { dictionary: roundSummary(summarize(samples.dictionary)), health: roundSummary(summarize(samples.health)) };
}

export async function measureStore(step: (m: string) => void): Promise<StoreBench> {
  const cold = await coldRange(step);
  const big = await at100k(step);
  return { ...big, ...cold };
}

export function storeMetrics(s: StoreBench): Metric[] {
  const big = `store, ${s.storedLeads.toLocaleString("en")} leads`;
  const metrics: Metric[] = [
    { id: "store.fill.seconds", section: big, label: "store 180 days through the list API (no quota)", value: s.fillSeconds, unit: "s", better: "lower" },
    { id: "store.facets30.p95", section: big, label: "facets, 30 days, p95", value: s.facets30.p95, unit: "ms", better: "lower", budget: { max: 50, text: "≤ 50 ms" } },
    { id: "store.facets180.p95", section: big, label: "facets, 180 days, p95", value: s.facets180.p95, unit: "ms", better: "lower", budget: { max: 100, text: "≤ 100 ms" } },
    { id: "store.facets30.first", section: big, label: "facets, 30 days, first read (counted, not kept)", value: s.facetsFirst.days30, unit: "ms", better: "lower" },
    { id: "store.facets180.first", section: big, label: "facets, 180 days, first read (counted, not kept)", value: s.facetsFirst.days180, unit: "ms", better: "lower" },
    { id: "store.export.rows", section: big, label: "export CSV, rows", value: s.export.rows, unit: "rows", better: "higher" },
    { id: "store.export.seconds", section: big, label: "export CSV, time to last byte", value: s.export.seconds, unit: "s", better: "lower" },
    { id: "store.export.mb", section: big, label: "export CSV, size", value: round(s.export.bytes / 2 ** 20, 1), unit: "MB", better: "lower" },
    { id: "store.export.rss.peak", section: big, label: "server memory during export, peak above resting", value: round(s.export.rssPeakMB - s.export.rssBaseMB, 1), unit: "MB", better: "lower" },
    { id: "store.load.trivial.p95", section: big, label: "a request needing no query (dictionary) during an export and 2 × 180-day facets, p95", value: s.underLoad.dictionary.p95, unit: "ms", better: "lower", budget: { max: 50, text: "≤ 50 ms" } },
    { id: "store.load.health.p95", section: big, label: "the health check (one trivial query) during the same, p95", value: s.underLoad.health.p95, unit: "ms", better: "lower" },
  ];
  const cold = "store, cold 30 days at TANMA_MAX_RPS=10";
  metrics.push(
    { id: "store.cold.first", section: cold, label: "first page", value: s.cold.firstPageMs, unit: "ms", better: "lower" },
    { id: "store.cold.full", section: cold, label: "whole range stored", value: s.cold.fullSyncSeconds, unit: "s", better: "lower" },
    { id: "store.cold.calls", section: cold, label: "upstream calls", value: s.cold.upstreamCalls, unit: "calls", better: "lower" },
    { id: "store.cold.peak", section: cold, label: "Tanma's busiest second", value: s.cold.peakRps, unit: "req/s", better: "lower", budget: { max: 10, text: "≤ 10" } },
    { id: "store.second.calls", section: cold, label: `second user walks it (${s.secondUser.pages} pages): list calls to Tanma`, value: s.secondUser.upstreamListCalls, unit: "calls", better: "lower", budget: { max: 0, text: "0" } },
  );
  return metrics;
}
