import type { FirstRow, ScrollResult, ToggleResult } from "./browser";
import type { PillResult, SearchResult, SheetResult } from "./desk";
import type { PageWeight } from "./page-weight";
import type { ProxyResult } from "./proxy";
import { type StoreBench, storeMetrics } from "./store";
import { type ClusterBench, clusterMetrics } from "./cluster";
import { round } from "./stats";

/** The flat list of figures every run prints and records, the budgets among them, and `--compare`. */

export type Metric = {
  id: string;
  section: string;
  label: string;
  value: number;
  unit: string;
  /** Which direction is an improvement, for --compare. */
  better: "lower" | "higher";
  /** A budget from the issue: met when value ≤ max. */
  budget?: { max: number; text: string };
};

export type Measurements = {
  proxy: ProxyResult;
  pageWeight: { clues: PageWeight; detail: PageWeight };
  firstRow: FirstRow;
  scroll: ScrollResult;
  toggle: ToggleResult;
  sheet: SheetResult;
  pill: PillResult;
  /** Measured on a second pair of servers at scale, after the others. */
  search?: SearchResult;
  /** The lead store's sections, each on servers of its own, after the others. */
  store?: StoreBench;
  /** `/api/clues` throughput with one and two instances on PostgreSQL, last. */
  cluster?: ClusterBench;
};

const kb = (bytes: number) => round(bytes / 1024, 1);

export function buildMetrics(m: Measurements): Metric[] {
  const out: Metric[] = [];
  const add = (metric: Metric) => out.push(metric);
  for (const [key, side] of [
    ["c1", m.proxy.concurrency1],
    ["c8", m.proxy.concurrency8],
  ] as const) {
    const s = `proxy, concurrency ${key.slice(1)}`;
    add({ id: `proxy.${key}.api.p50`, section: s, label: "/api/clues p50", value: side.api.p50, unit: "ms", better: "lower" });
    add({ id: `proxy.${key}.api.p95`, section: s, label: "/api/clues p95", value: side.api.p95, unit: "ms", better: "lower" });
    add({ id: `proxy.${key}.api.p99`, section: s, label: "/api/clues p99", value: side.api.p99, unit: "ms", better: "lower" });
    add({ id: `proxy.${key}.direct.p50`, section: s, label: "direct p50", value: side.direct.p50, unit: "ms", better: "lower" });
    add({ id: `proxy.${key}.direct.p95`, section: s, label: "direct p95", value: side.direct.p95, unit: "ms", better: "lower" });
    add({ id: `proxy.${key}.direct.p99`, section: s, label: "direct p99", value: side.direct.p99, unit: "ms", better: "lower" });
    add({
      id: `proxy.${key}.added.p50`,
      section: s,
      label: "added p50",
      value: side.addedP50,
      unit: "ms",
      better: "lower",
      budget: { max: 5, text: "≤ 5 ms" },
    });
    add({
      id: `proxy.${key}.added.p95`,
      section: s,
      label: "added p95",
      value: side.addedP95,
      unit: "ms",
      better: "lower",
      budget: { max: 15, text: "≤ 15 ms" },
    });
    add({ id: `proxy.${key}.added.p99`, section: s, label: "added p99", value: side.addedP99, unit: "ms", better: "lower" });
    add({ id: `proxy.${key}.ratio.p50`, section: s, label: "ratio p50 (api/direct)", value: side.ratioP50, unit: "×", better: "lower" });
  }
  const f = "framework floor, concurrency 1";
  add({ id: "proxy.floor.next.p50", section: f, label: "Next.js route doing no work, p50", value: m.proxy.floor.nextRoute.p50, unit: "ms", better: "lower" });
  add({ id: "proxy.floor.plain.p50", section: f, label: "plain Node HTTP, p50", value: m.proxy.floor.plainNode.p50, unit: "ms", better: "lower" });
  add({ id: "proxy.floor.added.p50", section: f, label: "framework share of added p50", value: m.proxy.floor.addedP50, unit: "ms", better: "lower" });
  add({ id: "proxy.identity.added.p50", section: f, label: "added p50 without gzip (Accept-Encoding: identity)", value: m.proxy.uncompressed.addedP50, unit: "ms", better: "lower" });
  add({ id: "proxy.c16.api.rps", section: "throughput, concurrency 16", label: "/api/clues", value: m.proxy.rps16.api, unit: "req/s", better: "higher" });
  add({ id: "proxy.c16.api.p95", section: "throughput, concurrency 16", label: "/api/clues p95", value: m.proxy.rps16.apiLatency.p95, unit: "ms", better: "lower" });
  add({ id: "proxy.c16.direct.rps", section: "throughput, concurrency 16", label: "direct", value: m.proxy.rps16.direct, unit: "req/s", better: "higher" });

  for (const [key, w] of [
    ["clues", m.pageWeight.clues],
    ["detail", m.pageWeight.detail],
  ] as const) {
    const s = `first-load JS, ${key === "clues" ? "/clues" : "clue detail"}`;
    add({
      id: `weight.${key}.transferred`,
      section: s,
      label: `transferred (${w.encodings.join("+")}, ${w.scripts} files)`,
      value: kb(w.transferredBytes),
      unit: "KB",
      better: "lower",
      ...(key === "clues" ? { budget: { max: 200, text: "≤ 200 KB" } } : {}),
    });
    add({ id: `weight.${key}.gzipLocal`, section: s, label: "gzip -6 of bodies (check)", value: kb(w.gzipLocalBytes), unit: "KB", better: "lower" });
    add({ id: `weight.${key}.raw`, section: s, label: "uncompressed", value: kb(w.rawBytes), unit: "KB", better: "lower" });
  }

  const b = "browser";
  add({
    id: "browser.firstRow.median",
    section: b,
    label: `first row painted, median of ${m.firstRow.runsMs.length}`,
    value: m.firstRow.medianMs,
    unit: "ms",
    better: "lower",
    budget: { max: 1000, text: "≤ 1000 ms" },
  });
  const fr = m.firstRow.breakdown;
  add({ id: "browser.firstRow.ttfb", section: b, label: "  ↳ HTML first byte (median)", value: fr.ttfb, unit: "ms", better: "lower" });
  add({ id: "browser.firstRow.dcl", section: b, label: "  ↳ DOMContentLoaded (median)", value: fr.domContentLoaded, unit: "ms", better: "lower" });
  // Only when the first rows came from the browser's own request, not with the server-rendered HTML.
  if (Number.isFinite(fr.apiRequestStart)) {
    add({ id: "browser.firstRow.apiStart", section: b, label: "  ↳ /api/clues requested (median)", value: fr.apiRequestStart, unit: "ms", better: "lower" });
    add({ id: "browser.firstRow.apiEnd", section: b, label: "  ↳ /api/clues answered (median)", value: fr.apiResponseEnd, unit: "ms", better: "lower" });
  }
  add({ id: "browser.interactive.median", section: b, label: "page interactive (hydrated), median", value: m.firstRow.interactiveMedianMs, unit: "ms", better: "lower" });
  add({ id: "browser.firstRow.cold", section: b, label: "first row painted, first run", value: m.firstRow.coldMs, unit: "ms", better: "lower" });
  add({
    id: "browser.scroll.ms",
    section: b,
    label: `scroll ${m.scroll.rowsSeen.toLocaleString("en")} rows (${m.scroll.stoppedBy})`,
    value: m.scroll.ms,
    unit: "ms",
    better: "lower",
  });
  add({ id: "browser.scroll.maxDomRows", section: b, label: "max rows in DOM", value: m.scroll.maxDomRows, unit: "rows", better: "lower", budget: { max: 100, text: "≤ 100" } });
  add({ id: "browser.scroll.longTasks", section: b, label: "long tasks > 50 ms while scrolling", value: m.scroll.longTasks, unit: "", better: "lower" });
  add({
    id: "browser.scroll.longTaskMax",
    section: b,
    label: "longest task while scrolling",
    value: m.scroll.longTaskMaxMs,
    unit: "ms",
    better: "lower",
    budget: { max: 50, text: "≤ 50 ms" },
  });
  add({ id: "browser.heap.after", section: b, label: `JS heap after ${m.scroll.rowsSeen.toLocaleString("en")} rows (after GC)`, value: m.scroll.heapUsedMB, unit: "MB", better: "lower" });
  add({ id: "browser.heap.before", section: b, label: "JS heap after first page (after GC)", value: m.scroll.heapUsedMBBeforeScroll, unit: "MB", better: "lower" });
  add({
    id: "browser.toggle.median",
    section: b,
    label: `type toggle → 企业 repaint, loaded page, median of ${m.toggle.runsMs.length}`,
    value: m.toggle.medianMs,
    unit: "ms",
    better: "lower",
    budget: { max: 200, text: "≤ 200 ms" },
  });
  add({ id: "browser.toggle.atInteractive", section: b, label: "type toggle → 企业, clicked at interactive (round trip), median", value: m.toggle.atInteractiveMedianMs, unit: "ms", better: "lower" });
  add({ id: "browser.toggle.cached", section: b, label: "type toggle → 企业, cached, median", value: m.toggle.cachedMedianMs, unit: "ms", better: "lower" });
  if (m.store) out.push(...storeMetrics(m.store));
  if (m.cluster) out.push(...clusterMetrics(m.cluster));

  const d = "desk";
  add({
    id: "desk.sheet.shown.median",
    section: d,
    label: `row click → detail sheet painted, median of ${m.sheet.shownRunsMs.length}`,
    value: m.sheet.shownMedianMs,
    unit: "ms",
    better: "lower",
    budget: { max: 100, text: "≤ 100 ms" },
  });
  add({ id: "desk.sheet.complete.median", section: d, label: "row click → full detail painted (clue/get), median", value: m.sheet.completeMedianMs, unit: "ms", better: "lower" });
  const pillBudgetMs = (m.pill.liveIntervalS + 2) * 1000;
  add({
    id: "desk.pill.max",
    section: d,
    label: `new lead → its pill, slowest of ${m.pill.runsMs.length} (live interval ${m.pill.liveIntervalS} s)`,
    value: m.pill.maxMs,
    unit: "ms",
    better: "lower",
    budget: { max: pillBudgetMs, text: `≤ ${pillBudgetMs.toLocaleString("en")} ms` },
  });
  add({ id: "desk.pill.median", section: d, label: "new lead → its pill, median", value: m.pill.medianMs, unit: "ms", better: "lower" });
  if (m.search) {
    const s = `search, ${m.search.storedLeads.toLocaleString("en")} stored leads`;
    add({ id: "search.sync.s", section: s, label: "store synced 180 days (first facets answer)", value: m.search.syncSeconds, unit: "s", better: "lower" });
    if (m.search.ui) {
      add({ id: "search.ui.p50", section: s, label: `keystroke → rows painted p50 (${m.search.ui.n} searches)`, value: round(m.search.ui.p50, 1), unit: "ms", better: "lower" });
      add({ id: "search.ui.p95", section: s, label: "keystroke → rows painted p95", value: round(m.search.ui.p95, 1), unit: "ms", better: "lower", budget: { max: 300, text: "≤ 300 ms" } });
    }
    for (const kind of ["name", "digits", "mobile"] as const) {
      const what = { name: "name part (2 characters)", digits: "4 phone digits", mobile: "whole mobile number" }[kind];
      add({ id: `search.api.${kind}.p50`, section: s, label: `GET /api/clues?q= ${what}, p50`, value: round(m.search.api[kind].p50, 1), unit: "ms", better: "lower" });
      add({ id: `search.api.${kind}.p95`, section: s, label: `GET /api/clues?q= ${what}, p95`, value: round(m.search.api[kind].p95, 1), unit: "ms", better: "lower" });
    }
    add({ id: "search.api.p95", section: s, label: `GET /api/clues?q= all, p95 (${m.search.apiAll.n} requests)`, value: round(m.search.apiAll.p95, 1), unit: "ms", better: "lower" });
  }
  return out;
}

export const budgetMet = (m: Metric): boolean | undefined => (m.budget === undefined ? undefined : m.value <= m.budget.max);

function formatValue(m: Metric): string {
  return `${m.value.toLocaleString("en", { maximumFractionDigits: 2 })}${m.unit && m.unit !== "×" ? " " + m.unit : m.unit}`;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) => "| " + cells.map((c, i) => pad(c, widths[i] ?? 0)).join(" | ") + " |";
  return [line(headers), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, w: number) => s + " ".repeat(Math.max(0, w - width(s)));

/** Markdown table (also readable in a terminal): every figure, with met/missed for the budgets. */
export function formatTable(metrics: Metric[]): string {
  return table(
    ["section", "metric", "value", "budget"],
    metrics.map((m) => {
      const met = budgetMet(m);
      return [m.section, m.label, formatValue(m), m.budget ? `${m.budget.text} ${met ? "met" : "MISSED"}` : ""];
    }),
  );
}

export function formatBudgets(metrics: Metric[]): string {
  const budgets = metrics.filter((m) => m.budget);
  const missed = budgets.filter((m) => !budgetMet(m));
  return `budgets: ${budgets.length - missed.length}/${budgets.length} met${
    missed.length ? ` — missed: ${missed.map((m) => `${m.section} ${m.label} = ${formatValue(m)}`).join("; ")}` : ""
  }`;
}

/** The change of every figure against an earlier results.json (matched by metric id). */
export function formatComparison(oldMetrics: Metric[], metrics: Metric[]): string {
  const old = new Map(oldMetrics.map((m) => [m.id, m]));
  const rows = metrics.map((m) => {
    const before = old.get(m.id);
    if (!before) return [m.section, m.label, "—", formatValue(m), "new", ""];
    const delta = m.value - before.value;
    const pct = before.value === 0 ? (delta === 0 ? 0 : Number.POSITIVE_INFINITY) : (delta / Math.abs(before.value)) * 100;
    const improved = delta === 0 ? "same" : (delta < 0) === (m.better === "lower") ? "better" : "worse";
    const sign = delta > 0 ? "+" : "";
    return [
      m.section,
      m.label,
      formatValue(before),
      formatValue(m),
      `${sign}${round(delta, 2).toLocaleString("en")} (${Number.isFinite(pct) ? `${sign}${round(pct, 1)}%` : "∞"})`,
      improved,
    ];
  });
  return table(["section", "metric", "before", "now", "change", ""], rows);
}
