import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/support/chromium";
// The suite's fixed moment (e2e/support/clock.ts) for this process and every one it starts; imported in this order.
import { SUITE_CLOCK_OFFSET_MS, shiftedClockEnv } from "./e2e/support/clock";
import "./e2e/support/shifted-clock.mjs";
import { E2E_APP_PORT, E2E_SIMULATOR_PORT } from "./e2e/support/ports";
import { E2E_APP_ENV, E2E_APP_ID, E2E_APP_KEY, E2E_APP_LOG, E2E_SIMULATOR_LOG, E2E_STORAGE_STATE } from "./e2e/support/tenant";

/**
 * End-to-end tests drive Debian's Chromium against the production build (`next start`) and the built-in
 * simulator, each started here as its own server. The app runs in real-tenant mode (the simulator plays the
 * tenant with e2e/support/tenant.ts's key), so a `setup` project signs in through the login page first and
 * every spec runs signed in; a `secret-hygiene` teardown then scans bundles and logs for the key.
 * Elsewhere, `npx playwright install chromium` and `CHROMIUM_PATH=` (empty) use Playwright's own browser.
 */

const clockEnv = shiftedClockEnv(SUITE_CLOCK_OFFSET_MS);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: "list",
  use: {
    baseURL: `http://127.0.0.1:${E2E_APP_PORT}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "setup",
      testMatch: "auth.setup.ts",
      teardown: "secret-hygiene",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: chromiumLaunchOptions,
      },
    },
    {
      name: "chromium",
      dependencies: ["setup"],
      use: {
        ...devices["Desktop Chrome"],
        storageState: E2E_STORAGE_STATE,
        launchOptions: chromiumLaunchOptions,
      },
    },
    { name: "secret-hygiene", testMatch: "secret-hygiene.teardown.ts" },
  ],
  webServer: [
    {
      command: `tsx e2e/support/serve.ts ${E2E_SIMULATOR_LOG} tsx simulator/main.ts`,
      env: {
        ...clockEnv,
        TANMA_SIMULATOR_PORT: String(E2E_SIMULATOR_PORT),
        SIM_APP_ID: E2E_APP_ID,
        SIM_APP_KEY: E2E_APP_KEY,
        // Specs compare what the pages show with what the simulator answers: its tenant holds still.
        SIM_ARRIVALS_PER_MINUTE: "0",
        SIM_EDITS_PER_MINUTE: "0",
        SIM_REMOVALS_PER_MINUTE: "0",
      },
      url: `http://127.0.0.1:${E2E_SIMULATOR_PORT}/__sim/stats`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
    },
    {
      command: `tsx e2e/support/serve.ts ${E2E_APP_LOG} next start --hostname 127.0.0.1 --port ${E2E_APP_PORT}`,
      env: { ...E2E_APP_ENV, ...clockEnv },
      // Signed out, the API answers 401: the server is up; the login page needs no session.
      url: `http://127.0.0.1:${E2E_APP_PORT}/login`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
    },
  ],
});
