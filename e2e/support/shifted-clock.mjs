/**
 * Moves the wall clock of a process or a page by a fixed offset, so the e2e servers (app and simulator), the test
 * runner and the browser all live at the same chosen moment whatever the real date. Only `Date` moves: timers
 * and `performance.now()` stay real, so time flows on from that moment at the real rate.
 *
 * `new Date()` goes through a Proxy's `construct` with the caller's `newTarget`, so subclasses of `Date` (the
 * TZDate that China time is computed with) stay subclasses. Playwright's `page.clock` replaces `Date` with a
 * constructor that returns a plain native date, which turns every TZDate into a local-time Date: in a browser
 * behind China it showed the browser's date as China's.
 *
 * Plain JavaScript, since `next start` preloads it without tsx (`node --import`, offset in E2E_CLOCK_OFFSET_MS);
 * `shiftDate` is also serialized into pages as an init script, so it uses nothing from outside itself.
 */
export function shiftDate(offsetMs) {
  const marker = Symbol.for("clue-desk.shifted-clock");
  // Whole milliseconds: `Date.now()` must stay an integer (Tanma's signature takes it as 13 digits).
  const offset = Math.round(offsetMs);
  if (offset === 0 || globalThis[marker]) return;
  const RealDate = Date;
  const now = () => RealDate.now() + offset;
  globalThis.Date = new Proxy(RealDate, {
    // `new Date()` is now; `new Date(value)` is the value, as ever.
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    // `Date()` called as a function is now as a string.
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === "now" ? now : Reflect.get(target, property, receiver)),
  });
  globalThis[marker] = true;
}

shiftDate(Number(globalThis.process?.env?.E2E_CLOCK_OFFSET_MS ?? 0));
