/**
 * Cross-site request forgery check for state-changing requests (and reads that act, such as an export, which
 * is recorded in the audit trail under the user's name: `isCrossOriginRequest`). The session cookie is `SameSite=Lax`, which
 * still goes along with a form a page on another port of the same host submits (same site, other origin), so
 * every POST/PUT/PATCH/DELETE must come from the app's own origin: `NEXTAUTH_URL`'s origin when it is set,
 * else the request's own `Host`. Browsers send `Origin` with every such request; when it is missing (older
 * browsers), `Sec-Fetch-Site` decides; a request with neither is not from a browser page, so not a forgery.
 */

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function fromAppOrigin(origin: string, request: Request, appUrl: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin); // "null" (sandboxed frames, some redirects) does not parse: refused
  } catch {
    return false;
  }
  if (appUrl !== undefined) return parsed.origin === new URL(appUrl).origin;
  const host = request.headers.get("host");
  return host !== null && parsed.host === host.toLowerCase();
}

/**
 * True when a browser sent `request` from a page of another origin, whatever its method. A link or a form of
 * another site sends no `Origin` with a GET, but every current browser sends `Sec-Fetch-Site`: `cross-site`, or
 * `same-site` for another port of our host, is refused; `same-origin` (our own pages) and `none` (a typed URL,
 * a bookmark) are not.
 */
export function isCrossOriginRequest(request: Request, appUrl: string | undefined): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return !fromAppOrigin(origin, request, appUrl);
  const site = request.headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

/** True when `request` changes state and a browser sent it from a page of another origin. */
export function isCrossOriginWrite(request: Request, appUrl: string | undefined): boolean {
  return STATE_CHANGING.has(request.method) && isCrossOriginRequest(request, appUrl);
}
