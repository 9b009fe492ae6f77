/**
 * Where a browser may be sent after sign-in: a path on the app's own origin. The decision is made on the URL as
 * a browser parses it, which drops tabs and newlines, reads `\` as `/` and resolves dot segments (`%2e` too),
 * so `/\t/evil.example` (a browser's `//evil.example`), `/\evil.example` or `/.//evil.example` are judged by
 * what they become, whatever their first characters look like. What they become must then be a path that
 * starts with one `/` followed by neither `/` nor `\`, also once percent-decoded: `//evil.example` on our own
 * origin is still a path, but sent back as a Location or to `location.assign` it names another host.
 * Anything refused becomes the list.
 */

export const DEFAULT_CALLBACK_PATH = "/clues";

/** Any origin will do when the app's own is unknown: only the comparison with it matters. */
const PLACEHOLDER_ORIGIN = "http://clue-desk.invalid";

const ONE_LEADING_SLASH = /^\/(?![/\\])/;

/**
 * Whether `pathname` (already resolved by the URL parser) is a path on `base`'s origin both as it stands and
 * once percent-decoded and resolved again (`/.%2f/host` decodes to `/.//host`, which resolves to `//host`), so
 * that a later decoding step cannot make it name another host.
 */
function staysOnOrigin(pathname: string, base: URL): boolean {
  if (!ONE_LEADING_SLASH.test(pathname)) return false;
  try {
    const decoded = new URL(decodeURIComponent(pathname), base);
    return decoded.origin === base.origin && ONE_LEADING_SLASH.test(decoded.pathname);
  } catch {
    return false;
  }
}

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
  if (url.origin !== base.origin || !staysOnOrigin(url.pathname, base)) return DEFAULT_CALLBACK_PATH;
  return url.pathname + url.search + url.hash;
}
