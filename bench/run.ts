import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import type { Browser } from "@playwright/test";
import { measureFirstRow, measureScroll, measureToggle } from "./browser";
import { measurePill, measureSearch, measureSheetOpen } from "./desk";
import { launchChromium } from "./chromium";
import { measurePageWeight } from "./page-weight";
import { measureProxy } from "./proxy";
import { buildMetrics, formatBudgets, formatComparison, formatTable, type Measurements, type Metric } from "./report";
import { BENCH_MAX_RPS, build, startServers } from "./servers";
import { measureStore } from "./store";
import { measureClusterThroughput } from "./cluster";

/**
 * `npm run bench [-- --no-build] [-- --compare old.json]`: builds, starts the simulator and `next start` on
 * free 127.0.0.1 ports, measures, stops everything, writes bench/results.json and prints the table.
 * A benchmark, not a test: it never fails on a figure, only when something could not be measured.
 */

const RESULTS_PATH = "bench/results.json";
/** ≈ 100,000 leads over the simulator's 180-day history. */
const SCALE_LEADS_PER_DAY = 560;
/** The whole run, build included, is abandoned after this. */
const WATCHDOG_MS = 35 * 60_000;

type Results = {
  version: 1;
  startedAt: string;
  durationSeconds: number;
  commit: { sha: string; dirty: boolean };
  machine: Record<string, string | number>;
  measurements: Measurements;
  metrics: Metric[];
};

const { values: args } = parseArgs({
  options: { "no-build": { type: "boolean", default: false }, compare: { type: "string" }, out: { type: "string" } },
});

const oldMetrics = args.compare === undefined ? undefined : readMetrics(args.compare);

function readMetrics(path: string): Metric[] {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Results>;
  if (!Array.isArray(parsed.metrics)) throw new Error(`${path} is not a bench results file (no "metrics")`);
  // JSON writes NaN (a figure that could not be measured, e.g. no /api/clues request) as null.
  return parsed.metrics.map((m) => ({ ...m, value: m.value ?? Number.NaN }));
}

function git(...argv: string[]): string {
  try {
    return execFileSync("git", argv, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

const step = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${WATCHDOG_MS / 60_000} minutes`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const startedAt = new Date().toISOString();
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  if (!args["no-build"]) {
    step("next build");
    await build();
  }
  step("starting the simulator and next start");
  const servers = await startServers();
  let browser: Browser | undefined;
  let chromiumVersion = "unknown";
  let measurements: Measurements;
  try {
    step(`proxy overhead (${servers.appOrigin}/api/clues vs ${servers.simulator.baseUrl})`);
    const proxy = await measureProxy(servers.appOrigin, servers.simulator);

    browser = await launchChromium();
    chromiumVersion = browser.version();
    const first = (await (await fetch(`${servers.appOrigin}/api/clues?since=${proxy.range.since}&before=${proxy.range.before}&size=1`)).json()) as {
      items: { customerId: string }[];
    };
    const detailId = first.items[0]?.customerId;
    if (detailId === undefined) throw new Error("no clue to open for the detail page");
    step("page weight");
    const clues = await measurePageWeight(browser, servers.appOrigin, "/clues", '[data-testid="clue-row"]');
    const detail = await measurePageWeight(browser, servers.appOrigin, `/clues/${detailId}`, '[data-testid="clue-detail"]');
    step("time to first row");
    const firstRow = await measureFirstRow(browser, servers.appOrigin);
    step("scroll through 5,000 rows");
    const scroll = await measureScroll(browser, servers.appOrigin);
    step("type toggle");
    const toggle = await measureToggle(browser, servers.appOrigin);
    step("row click to detail sheet");
    const sheet = await measureSheetOpen(browser, servers.appOrigin);
    step("new lead to its pill (store's live interval 15 s)");
    const pill = await measurePill(browser, servers.appOrigin, servers.simulator.origin);
    measurements = { proxy, pageWeight: { clues, detail }, firstRow, scroll, toggle, sheet, pill };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    throw error;
  } finally {
    await servers.stop();
  }

  // Search at scale: a simulator of ~100,000 leads over its 180 days and an app with a store of its own.
  step(`search at scale (simulator at ${SCALE_LEADS_PER_DAY} leads/day; the store syncs 180 days first)`);
  const scale = await startServers({ simulatorEnv: { SIM_LEADS_PER_DAY: String(SCALE_LEADS_PER_DAY) } });
  try {
    measurements.search = await measureSearch(browser, scale.appOrigin, scale.simulator.origin);
  } finally {
    await browser?.close().catch(() => undefined);
    await scale.stop();
  }
  // The store's own sections (facets and export at 100,000 leads, a cold range at Tanma's quota), each on
  // servers of their own.
  measurements.store = await measureStore(step);
  measurements.cluster = await measureClusterThroughput(step);

  const cpus = os.cpus();
  const results: Results = {
    version: 1,
    startedAt,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    commit: { sha: git("rev-parse", "HEAD"), dirty: git("status", "--porcelain", "--untracked-files=no") !== "" },
    machine: {
      cpu: cpus[0]?.model.trim() ?? "unknown",
      cores: cpus.length,
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      chromium: chromiumVersion,
      // Other processes competing for the CPU make every figure slower; recorded so runs can be judged.
      loadAverage1mBefore: Math.round(loadBefore * 100) / 100,
      loadAverage1mAfter: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    },
    measurements,
    metrics: buildMetrics(measurements),
  };
  const outPath = args.out ?? RESULTS_PATH;
  writeFileSync(outPath, JSON.stringify(results, null, 2) + "\n");

  const m = results.machine;
  console.log(
    `\nClue Desk bench — ${results.commit.sha.slice(0, 10)}${results.commit.dirty ? " (dirty)" : ""}, ${m.cpu} × ${m.cores}, ${m.memoryGB} GB, Node ${m.node}, ${m.os}, Chromium ${m.chromium}, ${results.durationSeconds}s\n`,
  );
  const busy = Math.max(Number(m.loadAverage1mBefore), Number(m.loadAverage1mAfter));
  if (busy > cpus.length) {
    console.log(`warning: load average ${busy} on ${cpus.length} cores — other processes were competing for the CPU; figures are pessimistic.\n`);
  }
  console.log(formatTable(results.metrics));
  console.log(`\n${formatBudgets(results.metrics)}`);
  console.log(
    `first-load JS "transferred" = response body bytes Chromium received (request.sizes().responseBodySize), browser sending Accept-Encoding: gzip; ` +
      `/api/clues responses were ${measurements.proxy.responseEncoding}; ${measurements.proxy.upstreamCallsPerApiCall} upstream calls per /api/clues call; ` +
      `next start ran with TANMA_MAX_RPS=${BENCH_MAX_RPS} (the default 10 caps /api/clues at 10 req/s by design).`,
  );
  if (oldMetrics) console.log(`\nchange against ${args.compare}:\n\n${formatComparison(oldMetrics, results.metrics)}`);
  console.log(`\nwrote ${outPath}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("bench failed:", error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
