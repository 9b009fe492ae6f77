/**
 * Where a browser may be sent after sign-in: a path on the app's own origin. The decision is made on the URL as
 * a browser parses it, which drops tabs and newlines and reads `\` as `/`, so `/\t/evil.example` (a browser's
 * `//evil.example`) or `/\evil.example` resolve to another origin and are refused, whatever their first
 * characters look like. Anything refused becomes the list.
 */

export const DEFAULT_CALLBACK_PATH = "/clues";

/** Any origin will do when the app's own is unknown: only the comparison with it matters. */
const PLACEHOLDER_ORIGIN = "http://clue-desk.invalid";

/** `value` (a path, or an absolute URL on `appUrl`'s origin) as a same-origin path; anything else the default. */
export function safeCallbackPath(value: unknown, appUrl: string = PLACEHOLDER_ORIGIN): string {
  if (typeof value !== "string" || value === "") return DEFAULT_CALLBACK_PATH;
  let base: URL;
  let url: URL;
  try {
    base = new URL(appUrl);
    url = new URL(value, base);
  } catch {
    return DEFAULT_CALLBACK_PATH;
  }
  if (url.origin !== base.origin) return DEFAULT_CALLBACK_PATH;
  return url.pathname + url.search + url.hash;
}
