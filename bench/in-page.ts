/**
 * Code that runs inside the page. Kept as plain JavaScript strings: functions compiled by tsx/esbuild can
 * carry helper calls (`__name`) that do not exist in the page.
 *
 * "Painted" = a requestAnimationFrame callback after the DOM change, then a MessageChannel task, which runs
 * once that frame has been produced. All stamps are `performance.now()`, i.e. ms since navigation start.
 */

const ROW = `[data-testid="clue-row"]`;

/** Installed before any page script: records the first row, the most rows in the DOM, rows seen, long tasks. */
export const INIT_SCRIPT = `(() => {
  const b = (window.__bench = { firstRowAt: null, firstRowPaintedAt: null, maxRows: 0, seen: new Set(), longTasks: [] });
  const afterPaint = (fn) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => fn(performance.now());
    ch.port2.postMessage(0);
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  const onMutation = () => {
    const rows = document.querySelectorAll('${ROW}');
    if (rows.length > b.maxRows) b.maxRows = rows.length;
    for (const r of rows) {
      const id = r.getAttribute("data-customer-id");
      if (id !== null) b.seen.add(id);
    }
    if (rows.length > 0 && b.firstRowAt === null) {
      b.firstRowAt = performance.now();
      afterPaint((t) => (b.firstRowPaintedAt = t));
    }
  };
  new MutationObserver(onMutation).observe(document, { childList: true, subtree: true });
})();`;

/** Scrolls the table's own scroll container by half a viewport per frame until `target` distinct rows were rendered. */
export const scrollScript = (target: number, limitMs: number) => `(async () => {
  const b = window.__bench;
  const el = document.querySelector('[data-testid="clue-table-scroll"]');
  if (!el) throw new Error("no clue-table-scroll");
  const loaded = () => Number((document.querySelector('[data-testid="row-count"]')?.textContent ?? "").replace(/[^0-9]/g, "") || 0);
  const step = Math.max(36, Math.floor(el.clientHeight / 2));
  const t0 = performance.now();
  b.scrollStart = t0;
  let frames = 0;
  let stalledFrames = 0;
  let done = "target";
  while (b.seen.size < ${target}) {
    if (performance.now() - t0 > ${limitMs}) { done = "time limit"; break; }
    const footer = document.querySelector('[data-testid="table-footer"]')?.textContent ?? "";
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
    if (atBottom && footer.includes("全部加载")) { done = "all loaded"; break; }
    if (atBottom) stalledFrames++;
    el.scrollTop += step;
    frames++;
    await new Promise((r) => requestAnimationFrame(r));
  }
  await new Promise((r) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = r; ch.port2.postMessage(0); }));
  const t1 = performance.now();
  b.scrollEnd = t1;
  const tasks = b.longTasks.filter((t) => t.start >= t0 && t.start <= t1);
  return {
    ms: t1 - t0,
    seen: b.seen.size,
    loaded: loaded(),
    frames,
    stalledFrames,
    stepPx: step,
    stoppedBy: done,
    maxRows: b.maxRows,
    longTasks: tasks.length,
    longTaskMaxMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
    longTaskTotalMs: tasks.reduce((s, t) => s + t.duration, 0),
  };
})()`;

/**
 * Clicks a type option and resolves once every rendered row has that type and the frame is painted.
 * `renderedMs` is when the rows were in the DOM, `paintedMs` after the frame.
 */
export const toggleScript = (option: "1" | "2" | "all", limitMs: number) => `(async () => {
  const btn = document.querySelector('[data-testid="type-option-${option}"]');
  if (!btn) throw new Error("no type option ${option}");
  const firstBefore = document.querySelector('${ROW}')?.getAttribute("data-customer-id") ?? null;
  const ok = () => {
    const rows = document.querySelectorAll('${ROW}');
    if (rows.length === 0) return false;
    const first = rows[0].getAttribute("data-customer-id");
    if ("${option}" === "all") return first !== firstBefore || [...rows].some((r) => r.getAttribute("data-type") !== "2");
    return [...rows].every((r) => r.getAttribute("data-type") === "${option}");
  };
  return await new Promise((resolve) => {
    let mo;
    const timer = setTimeout(() => { mo?.disconnect(); resolve({ timedOut: true }); }, ${limitMs});
    const t0 = performance.now();
    const check = () => {
      if (!ok()) return;
      const rendered = performance.now();
      mo.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => resolve({
          timedOut: false,
          renderedMs: rendered - t0,
          paintedMs: performance.now() - t0,
          firstChanged: document.querySelector('${ROW}')?.getAttribute("data-customer-id") !== firstBefore,
        });
        ch.port2.postMessage(0);
      });
    };
    mo = new MutationObserver(check);
    mo.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-type", "data-customer-id"] });
    btn.click();
  });
})()`;

/**
 * Whether React has hydrated the page's controls: React attaches its props to a DOM node when it hydrates it.
 * A click before that is queued by React and replayed after hydration, so it would time hydration, not the
 * control. Evaluates to the time it first saw them hydrated, or false.
 */
export const INTERACTIVE_AT = `(() => {
  const b = document.querySelector('[data-testid="type-option-2"]');
  return b !== null && Object.keys(b).some((k) => k.startsWith("__reactProps")) ? performance.now() : false;
})()`;

export const BENCH_STATE = `(() => {
  const b = window.__bench;
  const nav = performance.getEntriesByType("navigation")[0];
  const api = performance.getEntriesByType("resource").find((e) => new URL(e.name).pathname === "/api/clues");
  return {
    firstRowAt: b.firstRowAt,
    firstRowPaintedAt: b.firstRowPaintedAt,
    maxRows: b.maxRows,
    seen: b.seen.size,
    ttfb: nav ? nav.responseStart : null,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
    apiStart: api ? api.startTime : null,
    apiEnd: api ? api.responseEnd : null,
  };
})()`;
