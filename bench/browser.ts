import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, Page } from "@playwright/test";
import { addDays, chinaToday } from "@/lib/china-time";
import { CONTEXT_OPTIONS } from "./chromium";
import { BENCH_STATE, INIT_SCRIPT, INTERACTIVE_AT, scrollScript, toggleScript } from "./in-page";
import { round } from "./stats";

/** 3. What a person sees in Chromium: first rows, a 5,000-row scroll, DOM size, long tasks, heap, type toggle. */

const FIRST_ROW_RUNS = 5;
const SCROLL_TARGET_ROWS = 5_000;
const SCROLL_LIMIT_MS = 120_000;
const SCROLL_RANGE_DAYS = 60;
const TOGGLE_RUNS = 5;
const TOGGLE_LIMIT_MS = 10_000;
/** "Network idle" as Playwright defines it: no request for this long. */
const QUIET_MS = 500;
const ROW = '[data-testid="clue-row"]';

/** Medians, ms after navigation start: what the first row waited for. */
export type FirstRowBreakdown = { ttfb: number; domContentLoaded: number; apiRequestStart: number; apiResponseEnd: number; rowInDom: number };
export type FirstRow = { runsMs: number[]; coldMs: number; medianMs: number; breakdown: FirstRowBreakdown; interactiveMedianMs: number };

export type ScrollResult = {
  range: { since: string; before: string };
  ms: number;
  rowsSeen: number;
  rowsLoaded: number;
  stoppedBy: string;
  stepPx: number;
  frames: number;
  maxDomRows: number;
  longTasks: number;
  longTaskMaxMs: number;
  longTaskTotalMs: number;
  heapUsedMB: number;
  heapUsedMBBeforeScroll: number;
};

export type ToggleResult = {
  /** Clicked once the page is interactive and its network is idle: what a person clicking a loaded page gets. */
  runsMs: number[];
  medianMs: number;
  /** Clicked the moment the page turns interactive, before the other types' idle prefetch: a round trip. */
  atInteractiveRunsMs: number[];
  atInteractiveMedianMs: number;
  /** The third click, 企业 again after 全部: from React Query's cache. */
  cachedRunsMs: number[];
  cachedMedianMs: number;
};

type PageState = {
  firstRowAt: number | null;
  firstRowPaintedAt: number | null;
  maxRows: number;
  seen: number;
  ttfb: number | null;
  domContentLoaded: number | null;
  apiStart: number | null;
  apiEnd: number | null;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Polls from here (every ~10 ms) rather than with `waitForFunction`, whose in-page polling evaluates a string
 * and is refused by the page's CSP. Returns when the page saw itself interactive (ms since navigation).
 */
async function untilInteractive(page: Page): Promise<number> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const at = (await page.evaluate(INTERACTIVE_AT)) as number | false;
    if (at !== false) return at;
    if (performance.now() > deadline) throw new Error("the page never became interactive (hydrated)");
    await sleep(10);
  }
}

/**
 * Requests in flight and the last network activity. `waitForLoadState("networkidle")` cannot say "idle
 * *after* this moment": once reached it resolves at once, even if hydration then starts new requests.
 */
function watchNetwork(page: Page): { untilQuiet(ms: number): Promise<void> } {
  let inFlight = 0;
  let lastActivity = performance.now();
  const start = () => {
    inFlight++;
    lastActivity = performance.now();
  };
  const end = () => {
    inFlight--;
    lastActivity = performance.now();
  };
  page.on("request", start);
  page.on("requestfinished", end);
  page.on("requestfailed", end);
  return {
    async untilQuiet(ms) {
      const deadline = performance.now() + 30_000;
      while (inFlight > 0 || performance.now() - lastActivity < ms) {
        if (performance.now() > deadline) throw new Error(`the network never went quiet for ${ms} ms`);
        await sleep(20);
      }
    },
  };
}

/** Runs `run` on a page in a new context (no cache, the bench's init script), closed afterwards in any case. */
export async function inFreshPage<R>(browser: Browser, run: (page: Page) => Promise<R>): Promise<R> {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  try {
    await context.addInitScript({ content: INIT_SCRIPT });
    return await run(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Clicks a type option; ms until only its rows are painted, or undefined if they never were. */
async function toggleType(page: Page, option: "1" | "2" | "all"): Promise<number | undefined> {
  const r = (await page.evaluate(toggleScript(option, TOGGLE_LIMIT_MS))) as { timedOut: boolean; paintedMs?: number };
  return r.timedOut ? undefined : r.paintedMs;
}

/** Time from navigation start to the first `clue-row` painted, each run in a new context (no cache). */
export async function measureFirstRow(browser: Browser, origin: string): Promise<FirstRow> {
  const painted: number[] = [];
  const interactive: number[] = [];
  const states: PageState[] = [];
  // One untimed load, so the server's first-request work (route module load) is not counted.
  await inFreshPage(browser, async (warm) => {
    await warm.goto(`${origin}/clues`);
    await warm.waitForSelector(ROW, { timeout: 30_000 });
  });
  for (let i = 0; i < FIRST_ROW_RUNS; i++) {
    await inFreshPage(browser, async (page) => {
      await page.goto(`${origin}/clues`);
      await page.waitForSelector(ROW, { timeout: 30_000 });
      await page.waitForFunction("window.__bench.firstRowPaintedAt !== null", null, { timeout: 10_000 });
      const state = (await page.evaluate(BENCH_STATE)) as PageState;
      painted.push(round(state.firstRowPaintedAt ?? Number.NaN, 1));
      interactive.push(round(await untilInteractive(page), 1));
      states.push(state);
    });
  }
  const med = (pick: (s: PageState) => number | null) => round(median(states.map((s) => pick(s) ?? Number.NaN)), 1);
  return {
    runsMs: painted,
    coldMs: painted[0] ?? Number.NaN,
    medianMs: round(median(painted), 1),
    interactiveMedianMs: round(median(interactive), 1),
    breakdown: {
      ttfb: med((s) => s.ttfb),
      domContentLoaded: med((s) => s.domContentLoaded),
      apiRequestStart: med((s) => s.apiStart),
      apiResponseEnd: med((s) => s.apiEnd),
      rowInDom: med((s) => s.firstRowAt),
    },
  };
}

/** Scrolls a wide range until 5,000 distinct rows have been rendered; the page loads pages as it goes. */
export async function measureScroll(browser: Browser, origin: string): Promise<ScrollResult> {
  const today = chinaToday();
  const range = { since: addDays(today, -(SCROLL_RANGE_DAYS - 1)), before: addDays(today, 1) };
  return inFreshPage(browser, async (page) => {
    const cdp = await page.context().newCDPSession(page);
    const heapMB = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      const usage = await cdp.send("Runtime.getHeapUsage");
      return round(usage.usedSize / 2 ** 20, 1);
    };
    await page.goto(`${origin}/clues?since=${range.since}&before=${range.before}`);
    await page.waitForSelector(ROW, { timeout: 30_000 });
    await page.waitForLoadState("networkidle", { timeout: 30_000 });
    const heapBefore = await heapMB();
    const r = (await page.evaluate(scrollScript(SCROLL_TARGET_ROWS, SCROLL_LIMIT_MS))) as {
      ms: number;
      seen: number;
      loaded: number;
      frames: number;
      stepPx: number;
      stoppedBy: string;
      maxRows: number;
      longTasks: number;
      longTaskMaxMs: number;
      longTaskTotalMs: number;
    };
    const heapAfter = await heapMB();
    const state = (await page.evaluate(BENCH_STATE)) as PageState;
    return {
      range,
      ms: round(r.ms, 0),
      rowsSeen: r.seen,
      rowsLoaded: r.loaded,
      stoppedBy: r.stoppedBy,
      stepPx: r.stepPx,
      frames: r.frames,
      maxDomRows: state.maxRows,
      longTasks: r.longTasks,
      longTaskMaxMs: round(r.longTaskMaxMs, 0),
      longTaskTotalMs: round(r.longTaskTotalMs, 0),
      heapUsedMB: heapAfter,
      heapUsedMBBeforeScroll: heapBefore,
    };
  });
}

/**
 * Clicks 企业 on a freshly loaded `/clues` once it is interactive and its network idle, and times until only
 * type-2 rows are painted; then 全部 and 企业 again, now from React Query's cache. In separate page loads,
 * 企业 is clicked the moment the page turns interactive, so its rows come over the network.
 * (Network idle alone does not mean interactive: on 2 cores it often comes before hydration has finished.)
 */
export async function measureToggle(browser: Browser, origin: string): Promise<ToggleResult> {
  const runs: number[] = [];
  const atInteractive: number[] = [];
  const cached: number[] = [];
  for (let i = 0; i < TOGGLE_RUNS; i++) {
    await inFreshPage(browser, async (page) => {
      await page.goto(`${origin}/clues`);
      await untilInteractive(page);
      const early = await toggleType(page, "2");
      if (early === undefined) throw new Error("type toggle at interactive: rows never showed only 企业");
      atInteractive.push(round(early, 1));
    });
  }
  for (let i = 0; i < TOGGLE_RUNS; i++) {
    await inFreshPage(browser, async (page) => {
      await page.goto(`${origin}/clues`);
      const quiet = watchNetwork(page);
      await untilInteractive(page);
      await quiet.untilQuiet(QUIET_MS);
      const first = await toggleType(page, "2");
      if (first === undefined) throw new Error("type toggle: rows never showed only 企业");
      runs.push(round(first, 1));
      if ((await toggleType(page, "all")) === undefined) throw new Error("type toggle: rows never came back to 全部");
      const again = await toggleType(page, "2");
      if (again !== undefined) cached.push(round(again, 1));
    });
  }
  return {
    runsMs: runs,
    medianMs: round(median(runs), 1),
    atInteractiveRunsMs: atInteractive,
    atInteractiveMedianMs: round(median(atInteractive), 1),
    cachedRunsMs: cached,
    cachedMedianMs: round(median(cached), 1),
  };
}
