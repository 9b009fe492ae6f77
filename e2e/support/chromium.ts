import type { LaunchOptions } from "@playwright/test";

/**
 * How the e2e suite and the bench launch Chromium: Debian's browser at CHROMIUM_PATH (default
 * /usr/bin/chromium; set it empty to use Playwright's own download), with the background services off that
 * would otherwise try, and fail, to reach the network.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumLaunchOptions: LaunchOptions = {
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
};
