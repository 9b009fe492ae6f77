import { type Browser, chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../e2e/support/chromium";

/** Chromium exactly as the e2e suite launches it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/** The e2e suite's viewport and locale, so the table shows the same number of rows. */
export const CONTEXT_OPTIONS = {
  viewport: { width: 1280, height: 720 },
  locale: "zh-CN",
  timezoneId: "Asia/Shanghai",
} as const;
