import { type Browser, type BrowserContext, type BrowserContextOptions, test as base, expect } from "@playwright/test";
import { SUITE_CLOCK_OFFSET_MS } from "./clock";
import { shiftDate } from "./shifted-clock.mjs";
import { E2E_APP_KEY } from "./tenant";

/**
 * The `test` every spec uses: it fails the test on any console error or uncaught page error, so a page that
 * renders while logging a React warning or a failed fetch does not pass. Tests that provoke an upstream
 * failure on purpose list the expected messages in `allowedConsoleErrors`.
 */
export const test = base.extend<{ clock: { offsetMs(): number }; allowedConsoleErrors: RegExp[]; consoleErrors: string[]; appKeyNeverSent: void }>({
  // The browser lives at its servers' moment: the suite's, or a dated desk's (e2e/support/clock.ts).
  // (An object: a function here would be taken for a fixture.)
  clock: [{ offsetMs: () => SUITE_CLOCK_OFFSET_MS }, { option: true }],
  context: async ({ context, clock }, use) => {
    await context.addInitScript(shiftDate, clock.offsetMs());
    await use(context);
  },
  allowedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const text = message.text();
        if (!allowedConsoleErrors.some((re) => re.test(text))) errors.push(text);
      });
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
      await use(errors);
      expect(errors, "console errors during the test").toEqual([]);
    },
    { auto: true },
  ],
  // Secret hygiene: no page, script or API answer the browser receives in any test carries the app key.
  appKeyNeverSent: [
    async ({ page }, use) => {
      const leaks: string[] = [];
      const checks: Promise<void>[] = [];
      page.on("response", (response) => {
        checks.push(
          (async () => {
            const headers = JSON.stringify(await response.allHeaders());
            const body = await response.body().catch(() => Buffer.alloc(0));
            if (headers.includes(E2E_APP_KEY) || body.includes(E2E_APP_KEY)) leaks.push(response.url());
          })().catch(() => {}),
        );
      });
      await use();
      await Promise.all(checks);
      expect(leaks, "responses carrying the app key").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** A context of a spec's own (a second user, nobody signed in), at the suite's moment like every other page. */
export async function newClockedContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript(shiftDate, SUITE_CLOCK_OFFSET_MS);
  return context;
}
