import { type Browser, chromium } from "@playwright/test";

/**
 * Chromium as the e2e suite launches it (playwright.config.ts): Debian's browser at CHROMIUM_PATH
 * (default /usr/bin/chromium; set it empty to use Playwright's own download).
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** The e2e suite's viewport and locale, so the table shows the same number of rows. */
export const CONTEXT_OPTIONS = {
  viewport: { width: 1280, height: 720 },
  locale: "zh-CN",
  timezoneId: "Asia/Shanghai",
} as const;
