import { gzipSync } from "node:zlib";
import type { Browser, Response } from "@playwright/test";
import { CONTEXT_OPTIONS } from "./chromium";

/**
 * 2. First-load JavaScript: every script response of a fresh load (new context, empty cache) of a page, until
 * the first data row is on screen and the network is idle. `transferred` is the body bytes on the wire as
 * Chromium counts them (`request.sizes().responseBodySize`) with the browser asking for gzip only, which
 * `next start` serves; `gzipLocal` re-gzips each decoded body with zlib's default level as a cross-check;
 * `raw` is the decoded size.
 */

export type PageWeight = {
  path: string;
  scripts: number;
  transferredBytes: number;
  gzipLocalBytes: number;
  rawBytes: number;
  encodings: string[];
  largest: { url: string; transferredBytes: number }[];
};

export async function measurePageWeight(browser: Browser, origin: string, path: string, waitFor: string): Promise<PageWeight> {
  const context = await browser.newContext({ ...CONTEXT_OPTIONS, extraHTTPHeaders: { "accept-encoding": "gzip" } });
  try {
    const page = await context.newPage();
    const scripts: Response[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(response);
    });
    await page.goto(origin + path, { waitUntil: "load", timeout: 30_000 });
    await page.waitForSelector(waitFor, { timeout: 30_000 });
    await page.waitForLoadState("networkidle", { timeout: 30_000 });

    const rows = await Promise.all(
      scripts.map(async (response) => {
        const body = await response.body();
        const sizes = await response.request().sizes();
        const headers = await response.allHeaders();
        return {
          url: new URL(response.url()).pathname,
          transferred: sizes.responseBodySize,
          gzipLocal: gzipSync(body).length,
          raw: body.length,
          encoding: headers["content-encoding"] ?? "identity",
        };
      }),
    );
    return {
      path,
      scripts: rows.length,
      transferredBytes: rows.reduce((s, r) => s + r.transferred, 0),
      gzipLocalBytes: rows.reduce((s, r) => s + r.gzipLocal, 0),
      rawBytes: rows.reduce((s, r) => s + r.raw, 0),
      encodings: [...new Set(rows.map((r) => r.encoding))],
      largest: rows
        .sort((a, b) => b.transferred - a.transferred)
        .slice(0, 5)
        .map((r) => ({ url: r.url, transferredBytes: r.transferred })),
    };
  } finally {
    await context.close();
  }
}
