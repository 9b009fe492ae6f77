import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { API_CSP, STATIC_SECURITY_HEADERS } from "@/lib/security/headers";

/**
 * What every request passes before Next.js sees it. Three things need the raw Node request, which Next.js
 * (`next start`) does not hand to route handlers or proxy.ts:
 *
 * - The TCP peer's address. Next.js only fills in `X-Forwarded-For` when a client sent none, so a route cannot
 *   tell a socket's address from one a client wrote. The front door copies the socket's address into a header
 *   whose name is drawn at random per process (so no client can send it), replacing anything of that name.
 * - Malformed percent-escapes in the path (`/api/clues/%E0%A4%A`, `/companies/%ff`) make Next.js's router
 *   answer a bare 500 with no headers and no log line. The front door makes such escapes literal (`%` → `%25`),
 *   as a browser's URL parser keeps them, so the app's own routes reject the id with their usual 4xx.
 * - `TRACE` cannot be represented as a fetch `Request`, so Next.js fails on it with a 500, and it answers other
 *   methods it does not route (`PROPFIND`, …) with a bare 400. Any method but the seven Next.js routes gets
 *   the API's JSON 405 here, and so does any write outside `/api/`: pages and static files are only read, and
 *   a form post to one made Next.js look for a server action (the app has none) and log a stack trace.
 *
 * It also sets the static security headers on every response up front, so the answers Next.js's router gives
 * before any configured headers apply (its trailing-slash redirects, its own 400s) carry them too.
 *
 * Installed from instrumentation.ts: Node's `http.server.request.start` diagnostics channel reports each
 * request's server before the server dispatches it, and on the first one the front door is put in front of
 * that server's request listeners (Next.js's), for that request and every later one.
 */

const STATE = Symbol.for("clue-desk.front-door");
type Holder = { [STATE]?: { peerHeader: string; servers: WeakSet<Server> } };

/** The header carrying the TCP peer's address, or undefined when the front door is not installed. */
export function peerAddressHeader(): string | undefined {
  return (globalThis as Holder)[STATE]?.peerHeader;
}

function state() {
  const holder = globalThis as Holder;
  holder[STATE] ??= { peerHeader: `x-clue-desk-peer-${randomBytes(8).toString("hex")}`, servers: new WeakSet() };
  return holder[STATE];
}

/** `url` with each percent-escape run that does not decode to UTF-8 (bad hex, cut short, stray `%`) made literal. */
export function repairPercentEncoding(url: string): string {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (!path.includes("%")) return url;
  try {
    decodeURIComponent(path);
    return url;
  } catch {
    // Escapes in a row decode together (one UTF-8 character spans several), so each run is tried whole.
    const repaired = path.replace(/(?:%[0-9A-Fa-f]{2})+|%/g, (run) => {
      try {
        decodeURIComponent(run);
        return run;
      } catch {
        return run.replaceAll("%", "%25");
      }
    });
    return repaired + (query === -1 ? "" : url.slice(query));
  }
}

/** The methods Next.js routes to route handlers and pages. */
const ROUTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const READ_METHODS = ["GET", "HEAD"];

/** Whether `method` may go to `url`: a routed method, and outside the API only a read (after `..` resolves). */
function methodAllowed(method: string, url: string): boolean {
  if (!ROUTED_METHODS.has(method)) return false;
  return READ_METHODS.includes(method) || /^\/api(\/|$)/.test(new URL(url, "http://front-door.invalid").pathname);
}

function refuseMethod(method: string, response: ServerResponse): void {
  const body = JSON.stringify({ error: "不支持该请求方法 (method not allowed)" });
  response.writeHead(405, {
    ...STATIC_SECURITY_HEADERS,
    "content-security-policy": API_CSP,
    "content-type": "application/json",
    "cache-control": "no-store",
    allow: (ROUTED_METHODS.has(method) ? READ_METHODS : [...ROUTED_METHODS]).join(", "),
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
  // The method is one Node's parser accepted: a known token, safe to log.
  console.info(JSON.stringify({ event: "http_refused", method, status: 405 }));
}

/** Wraps request listeners with the front door; exported for tests, which serve route handlers through it. */
export function frontDoor(listeners: RequestListener[]): RequestListener<typeof IncomingMessage, typeof ServerResponse> {
  const { peerHeader } = state();
  return function (this: Server, request, response) {
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.setHeader(name, value);
    const url = repairPercentEncoding(request.url ?? "/");
    const method = request.method ?? "";
    if (!methodAllowed(method, url)) return refuseMethod(method, response);
    request.headers[peerHeader] = request.socket.remoteAddress ?? "";
    request.url = url;
    for (const listener of listeners) listener.call(this, request, response);
  };
}

let installed = false;

/** Puts the front door in front of every HTTP server of this process (instrumentation.ts, once). */
export function installFrontDoor(): void {
  if (installed) return;
  installed = true;
  const { servers } = state();
  subscribe("http.server.request.start", (message) => {
    const { server } = message as { server: Server };
    if (servers.has(server)) return;
    servers.add(server);
    const listeners = server.listeners("request") as RequestListener[];
    server.removeAllListeners("request");
    server.on("request", frontDoor(listeners));
  });
}
