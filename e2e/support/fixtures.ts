import { test as base, expect } from "@playwright/test";
import { E2E_APP_KEY } from "./tenant";

/**
 * The `test` every spec uses: it fails the test on any console error or uncaught page error, so a page that
 * renders while logging a React warning or a failed fetch does not pass. Tests that provoke an upstream
 * failure on purpose list the expected messages in `allowedConsoleErrors`.
 */
export const test = base.extend<{ allowedConsoleErrors: RegExp[]; consoleErrors: string[]; appKeyNeverSent: void }>({
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
