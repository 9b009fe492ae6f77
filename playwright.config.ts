import { defineConfig, devices } from "@playwright/test";
import { E2E_APP_PORT, E2E_SIMULATOR_PORT } from "./e2e/support/ports";

/**
 * End-to-end tests drive Debian's Chromium against the production build (`next start`) and the built-in
 * simulator, each started here as its own server. Elsewhere, `npx playwright install chromium` and
 * `CHROMIUM_PATH=` (empty) use Playwright's own browser.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_APP_PORT}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          ...(chromiumPath ? { executablePath: chromiumPath } : {}),
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: "tsx simulator/main.ts",
      env: { TANMA_SIMULATOR_PORT: String(E2E_SIMULATOR_PORT) },
      url: `http://127.0.0.1:${E2E_SIMULATOR_PORT}/__sim/stats`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
    },
    {
      command: `next start --hostname 127.0.0.1 --port ${E2E_APP_PORT}`,
      env: {
        TANMA_SIMULATOR_URL: `http://127.0.0.1:${E2E_SIMULATOR_PORT}/apiServer`,
        TANMA_APP_ID: "",
        TANMA_APP_KEY: "",
        COMPANY_URL_TEMPLATE: "https://crm.example.invalid/company/{id}",
      },
      url: `http://127.0.0.1:${E2E_APP_PORT}/api/dictionary`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
    },
  ],
});
