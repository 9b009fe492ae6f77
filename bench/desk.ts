import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, Page } from "@playwright/test";
import { addDays, chinaToday } from "@/lib/china-time";
import { INTERACTIVE_AT } from "./in-page";
import { inFreshPage } from "./browser";
import { median, round, summarize, type Summary } from "./stats";

/**
 * 4. The desk's own interactions: a row click to its detail sheet painted, a new lead's pill, and search at
 * scale (100,000 stored leads).
 */

const SHEET_RUNS = 7;
const PILL_RUNS = 3;
const PILL_LIMIT_MS = 60_000;
const SEARCH_ROUNDS = 8;
/** The default `STORE_LIVE_INTERVAL_S`: the app under bench runs with it. */
export const LIVE_INTERVAL_S = 15;


async function untilInteractive(page: Page): Promise<void> {
  const deadline = performance.now() + 30_000;
  while ((await page.evaluate(INTERACTIVE_AT)) === false) {
    if (performance.now() > deadline) throw new Error("the page never became interactive (hydrated)");
    await sleep(10);
  }
}

/**
 * Clicks the row at `index` and resolves with the ms until the sheet showing that lead is painted (the row's
 * own data, shown while the full detail loads) and until the full detail is painted.
 */
const sheetScript = (index: number, limitMs: number) => `(async () => {
  const row = document.querySelector('[data-testid="clue-row"][data-index="${index}"]');
  if (!row) throw new Error("no row ${index}");
  const id = row.getAttribute("data-customer-id");
  const painted = () => new Promise((r) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => r(performance.now()); ch.port2.postMessage(0); }));
  return await new Promise((resolve) => {
    let shownAt = null;
    let mo;
    const timer = setTimeout(() => { mo.disconnect(); resolve({ timedOut: true }); }, ${limitMs});
    const t0 = performance.now();
    const check = () => {
      const detail = document.querySelector('[data-testid="clue-detail"][data-customer-id="' + id + '"]');
      if (!detail) return;
      if (shownAt === null) {
        shownAt = painted();
      }
      if (detail.getAttribute("data-complete") !== "true") return;
      mo.disconnect();
      clearTimeout(timer);
      Promise.all([shownAt, painted()]).then(([shown, complete]) => resolve({ timedOut: false, shownMs: shown - t0, completeMs: complete - t0 }));
    };
    mo = new MutationObserver(check);
    mo.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-complete", "data-customer-id"] });
    row.click();
  });
})()`;

export type SheetResult = { shownRunsMs: number[]; shownMedianMs: number; completeRunsMs: number[]; completeMedianMs: number };

/**
 * A row click on a loaded, interactive, quiet `/clues` until its detail sheet is painted; the sheet is closed
 * (Escape) between runs, each run a different row, all in one page as a person would.
 */
export async function measureSheetOpen(browser: Browser, origin: string): Promise<SheetResult> {
  return inFreshPage(browser, async (page) => {
    await page.goto(`${origin}/clues`);
    await page.waitForSelector('[data-testid="clue-row"]', { timeout: 30_000 });
    await untilInteractive(page);
    await page.waitForLoadState("networkidle");
    const shown: number[] = [];
    const complete: number[] = [];
    for (let i = 0; i < SHEET_RUNS; i++) {
      const r = (await page.evaluate(sheetScript(2 + i, 10_000))) as { timedOut: boolean; shownMs?: number; completeMs?: number };
      if (r.timedOut || r.shownMs === undefined || r.completeMs === undefined) throw new Error(`row ${2 + i}: the sheet never showed its lead`);
      shown.push(round(r.shownMs, 1));
      complete.push(round(r.completeMs, 1));
      await page.keyboard.press("Escape");
      await page.waitForSelector('[data-testid="sheet"]', { state: "detached" });
      await page.waitForLoadState("networkidle");
      await sleep(300);
    }
    return { shownRunsMs: shown, shownMedianMs: round(median(shown), 1), completeRunsMs: complete, completeMedianMs: round(median(complete), 1) };
  });
}

export type PillResult = { runsMs: number[]; medianMs: number; maxMs: number; liveIntervalS: number };

/**
 * `POST /__sim/clues` (a lead created now) until "有 1 条新线索" is visible on an open `/clues` (the last 7 days,
 * today included), the app following today at the default live interval. Each run shows the lead (a click on
 * the pill) before the next, and starts at a different moment of the store's 15 s cycle.
 */
export async function measurePill(browser: Browser, origin: string, simulatorOrigin: string): Promise<PillResult> {
  return inFreshPage(browser, async (page) => {
    await page.goto(`${origin}/clues`);
    await page.waitForSelector('[data-testid="clue-row"]', { timeout: 30_000 });
    await untilInteractive(page);
    const pill = page.getByTestId("new-arrivals-pill");
    const runs: number[] = [];
    for (let i = 0; i < PILL_RUNS; i++) {
      // Spread the start over the store's cycle.
      await sleep(1_000 + i * 4_700);
      const res = await fetch(`${simulatorOrigin}/__sim/clues`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      const t0 = performance.now();
      if (res.status !== 201) throw new Error(`simulator refused the new lead: HTTP ${res.status}`);
      await res.arrayBuffer();
      // Polled from here every 50 ms: Playwright's own wait polls in the page, which the CSP forbids.
      for (;;) {
        if (await pill.isVisible()) break;
        if (performance.now() - t0 > PILL_LIMIT_MS) throw new Error(`no pill ${PILL_LIMIT_MS / 1000}s after a new lead`);
        await sleep(50);
      }
      runs.push(round(performance.now() - t0, 0));
      await pill.click();
      await pill.waitFor({ state: "detached" });
    }
    return { runsMs: runs, medianMs: median(runs), maxMs: Math.max(...runs), liveIntervalS: LIVE_INTERVAL_S };
  });
}

export type SearchResult = {
  storedLeads: number;
  syncSeconds: number;
  range: { since: string; before: string };
  api: Record<"name" | "digits" | "mobile", Summary>;
  apiAll: Summary;
  /** Keystroke to rows painted in the page's search box; undefined when the page has no search box. */
  ui: Summary | undefined;
};

/**
 * Types `term` into the search box; resolves with the ms from the last keystroke to the frame after the rows
 * changed to the search's (the first row is another lead, or the empty state shows) and no skeleton is left.
 */
const searchScript = (term: string, limitMs: number) => `(async () => {
  const input = document.querySelector('[data-testid="search-input"]');
  if (!input) return { missing: true };
  const firstId = () => document.querySelector('[data-testid="clue-row"]')?.getAttribute("data-customer-id") ?? null;
  const before = firstId();
  input.focus();
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  let t0 = 0;
  // One character at a time, as typing does: a keydown, the value, an input event; 80 ms apart.
  for (const ch of ${JSON.stringify([...term])}) {
    t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent("keydown", { key: ch, bubbles: true }));
    setValue.call(input, input.value + ch);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keyup", { key: ch, bubbles: true }));
    await new Promise((r) => setTimeout(r, 80));
  }
  const done = () => {
    if (document.querySelector('[data-testid="clue-table-skeleton"]')) return false;
    const first = firstId();
    return (first !== null && first !== before) || document.querySelector('[data-testid="empty-state"]') !== null;
  };
  return await new Promise((resolve) => {
    const finish = () => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => resolve({ ms: performance.now() - t0 }); ch.port2.postMessage(0); });
    if (done()) return finish();
    const mo = new MutationObserver(() => { if (done()) { mo.disconnect(); clearTimeout(timer); finish(); } });
    const timer = setTimeout(() => { mo.disconnect(); resolve({ timedOut: true }); }, ${limitMs});
    mo.observe(document, { childList: true, subtree: true, attributes: true });
  });
})()`;

/** Keystroke to rows painted for each term, on `/clues` over the range; undefined without a search box. */
async function measureSearchUi(browser: Browser, origin: string, range: { since: string; before: string }, terms: string[]): Promise<Summary | undefined> {
  return inFreshPage(browser, async (page) => {
    await page.goto(`${origin}/clues?since=${range.since}&before=${range.before}`);
    await page.waitForSelector('[data-testid="clue-row"]', { timeout: 60_000 });
    await untilInteractive(page);
    if ((await page.locator('[data-testid="search-input"]').count()) === 0) return undefined;
    const samples: number[] = [];
    for (const term of terms) {
      const r = (await page.evaluate(searchScript(term, 10_000))) as { ms?: number; timedOut?: boolean };
      if (r.ms === undefined) throw new Error(`search "${term}": the rows never changed`);
      samples.push(r.ms);
      // Back to the whole range before the next term.
      await page.getByTestId("search-clear").click();
      await page.waitForLoadState("networkidle");
    }
    return summarize(samples);
  });
}

/**
 * Search over a range of 100,000 stored leads, on the API: `GET /api/clues?q=` over 180 days (the simulator's
 * whole history at `SIM_LEADS_PER_DAY` ≈ 560), for a two-character name part, four digits of a masked phone
 * and a whole mobile number (matched by its keyed hash), the first page newest first with its total. The
 * store is synced first (the facets wait for every day of the range).
 */
export async function measureSearch(browser: Browser, origin: string, simulatorOrigin: string): Promise<SearchResult> {
  const today = chinaToday();
  const range = { since: addDays(today, -179), before: addDays(today, 1) };
  const range7 = `since=${addDays(today, -6)}&before=${addDays(today, 1)}`;
  const t0 = performance.now();
  const facets = await fetch(`${origin}/api/clues/facets?since=${range.since}&before=${range.before}`, { signal: AbortSignal.timeout(600_000) });
  if (!facets.ok) throw new Error(`syncing 180 days failed: HTTP ${facets.status} ${await facets.text()}`);
  const { total } = (await facets.json()) as { total: number };
  const syncSeconds = round((performance.now() - t0) / 1000, 1);

  // Search terms taken from the simulator's own leads of the last week: a name part, visible digits, a mobile.
  const sample = (await (await fetch(`${simulatorOrigin}/__sim/clues?${range7}`)).json()) as {
    clues: { fields?: { field: string; valueAsText?: string | null }[] }[];
  };
  const names: string[] = [];
  const mobiles: string[] = [];
  for (const clue of sample.clues.slice(0, 400)) {
    for (const f of clue.fields ?? []) {
      if (f.field === "name" && f.valueAsText) names.push(f.valueAsText);
      if (f.field === "mobile" && f.valueAsText) {
        const found = /1\d{10}/.exec(f.valueAsText);
        if (found) mobiles.push(found[0]);
      }
    }
  }
  if (names.length < SEARCH_ROUNDS || mobiles.length < SEARCH_ROUNDS) throw new Error("too few names or mobile numbers in the sample to search for");
  const terms = {
    name: names.slice(0, SEARCH_ROUNDS).map((n) => [...n].slice(-2).join("")),
    digits: mobiles.slice(0, SEARCH_ROUNDS).map((m) => m.slice(-4)),
    mobile: mobiles.slice(SEARCH_ROUNDS, SEARCH_ROUNDS * 2).concat(mobiles).slice(0, SEARCH_ROUNDS),
  };
  const timed = async (q: string) => {
    const start = performance.now();
    const res = await fetch(`${origin}/api/clues?since=${range.since}&before=${range.before}&size=100&q=${encodeURIComponent(q)}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`search ${q}: HTTP ${res.status}`);
    return performance.now() - start;
  };
  // One untimed round, then the rounds interleaved by kind.
  for (const q of [terms.name[0]!, terms.digits[0]!, terms.mobile[0]!]) await timed(q);
  const samples: Record<keyof typeof terms, number[]> = { name: [], digits: [], mobile: [] };
  for (let i = 0; i < SEARCH_ROUNDS; i++) {
    for (const kind of ["name", "digits", "mobile"] as const) {
      samples[kind].push(await timed(terms[kind][i]!));
      samples[kind].push(await timed(terms[kind][i]!));
    }
  }
  return {
    storedLeads: total,
    syncSeconds,
    range,
    api: { name: summarize(samples.name), digits: summarize(samples.digits), mobile: summarize(samples.mobile) },
    apiAll: summarize([...samples.name, ...samples.digits, ...samples.mobile]),
    ui: await measureSearchUi(browser, origin, range, [...terms.name, ...terms.digits, ...terms.mobile]),
  };
}
