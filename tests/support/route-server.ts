import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { frontDoor } from "@/lib/security/front-door";

/**
 * The app's real API route handlers served over real sockets behind the real front door, routed the way
 * Next.js routes `app/api` (static segments before `[param]` before `[...catchAll]`, each segment
 * percent-decoded, HEAD answered by GET without a body, OPTIONS with the allowed methods, any other method a
 * route does not export 405). Tests that need what only a socket has (the peer's address, raw paths with
 * malformed escapes, any method) go through this instead of calling a handler.
 */

type Context = { params: Promise<Record<string, string | string[]>> };
type Handler = (request: Request, context: Context) => Promise<Response>;
type RouteModule = Record<string, unknown>;

const ROUTES: [pattern: string, load: () => Promise<RouteModule>][] = [
  ["/api/clues", () => import("@/app/api/clues/route")],
  ["/api/clues/facets", () => import("@/app/api/clues/facets/route")],
  ["/api/clues/export", () => import("@/app/api/clues/export/route")],
  ["/api/audit", () => import("@/app/api/audit/route")],
  ["/api/audit/export", () => import("@/app/api/audit/export/route")],
  ["/api/audit/actors", () => import("@/app/api/audit/actors/route")],
  ["/api/sync", () => import("@/app/api/sync/route")],
  ["/api/dictionary", () => import("@/app/api/dictionary/route")],
  ["/api/health", () => import("@/app/api/health/route")],
  ["/api/clues/[customerId]", () => import("@/app/api/clues/[customerId]/route")],
  ["/api/clues/[customerId]/follow-ups", () => import("@/app/api/clues/[customerId]/follow-ups/route")],
  ["/api/clues/[customerId]/phones", () => import("@/app/api/clues/[customerId]/phones/route")],
  ["/api/auth/[...nextauth]", () => import("@/app/api/auth/[...nextauth]/route")],
  ["/api/views", () => import("@/app/api/views/route")],
  ["/api/views/[id]", () => import("@/app/api/views/[id]/route")],
  ["/api/[[...path]]", () => import("@/app/api/[[...path]]/route")],
];

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function match(pattern: string, segments: string[]): Record<string, string | string[]> | undefined {
  const parts = pattern.split("/").filter(Boolean);
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const catchAll = /^\[(\[)?\.\.\.(\w+)\]\]?$/.exec(part);
    if (catchAll) {
      const optional = catchAll[1] !== undefined;
      if (i >= segments.length && !optional) return undefined;
      if (i < segments.length) params[catchAll[2]!] = segments.slice(i);
      return params;
    }
    if (i >= segments.length) return undefined;
    const param = /^\[(\w+)\]$/.exec(part);
    if (param) params[param[1]!] = segments[i]!;
    else if (part !== segments[i]) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

/** Static routes first, then by fewer dynamic segments, the catch-alls last: Next.js's precedence. */
function specificity(pattern: string): number {
  return pattern.split("/").reduce((n, part) => n + (part.includes("...") ? 100 : part.startsWith("[") ? 1 : 0), 0);
}
const ORDERED = [...ROUTES].sort((a, b) => specificity(a[0]) - specificity(b[0]));

async function dispatch(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "localhost"}`);
  // Next.js decodes each segment; a malformed escape throws here just as it does in Next.js's router.
  const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const method = incoming.method ?? "GET";
  for (const [pattern, load] of ORDERED) {
    const params = match(pattern, segments);
    if (params === undefined) continue;
    const routeModule = await load();
    const exported = HTTP_METHODS.filter((m) => typeof routeModule[m] === "function");
    if (method === "OPTIONS") {
      outgoing.writeHead(204, { allow: [...exported, "HEAD", "OPTIONS"].join(", ") }).end();
      return;
    }
    const handler = routeModule[method === "HEAD" ? "GET" : method] as Handler | undefined;
    if (handler === undefined) {
      outgoing.writeHead(405, { allow: exported.join(", ") }).end();
      return;
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers)) {
      for (const v of [value ?? []].flat()) headers.append(key, v);
    }
    // As Next.js does: the socket's body streams into the Request, read only as far as the handler reads it.
    const body = method === "GET" || method === "HEAD" ? {} : { body: incoming as unknown as ReadableStream, duplex: "half" };
    const request = new Request(url, { method: method === "HEAD" ? "GET" : method, headers, ...body });
    const response = await handler(request, { params: Promise.resolve(params) });
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      if (key !== "set-cookie") out[key] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    outgoing.writeHead(response.status, out);
    outgoing.end(method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer()));
    return;
  }
  outgoing.writeHead(404).end();
}

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

export type RouteServer = {
  origin: string;
  /** A raw HTTP request: any method, the path sent as given, optionally from another loopback address. */
  send(path: string, options?: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string }): Promise<Reply>;
  /**
   * A POST whose body of `totalBytes` is streamed chunked (no Content-Length), stopped once the answer comes:
   * the answer and how many bytes had been sent by then.
   */
  streamBody(path: string, options: { totalBytes: number; headers?: Record<string, string>; localAddress?: string }): Promise<Reply & { sentBytes: number }>;
};

export function useRouteServer(): () => RouteServer {
  let server: Server | undefined;
  let origin = "";
  beforeAll(async () => {
    server = createServer(
      frontDoor([
        (incoming, outgoing) => {
          dispatch(incoming, outgoing).catch((error: unknown) => {
            // What Next.js does with an error that escapes routing: a bare 500.
            console.error(error);
            if (!outgoing.headersSent) outgoing.writeHead(500);
            outgoing.end("Internal Server Error");
          });
        },
      ]),
    );
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });
  return () => ({
    origin,
    send(path, { method = "GET", headers = {}, body, localAddress } = {}) {
      return new Promise<Reply>((resolve, reject) => {
        const { port } = new URL(origin);
        // Node's client frames a DELETE or OPTIONS body only when told its length.
        const framed = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
        const req = httpRequest({ host: "127.0.0.1", port, path, method, headers: framed, localAddress, agent: false }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        });
        req.on("error", reject);
        req.end(body);
      });
    },
    streamBody(path, { totalBytes, headers = {}, localAddress }) {
      return new Promise((resolve, reject) => {
        const { port } = new URL(origin);
        const chunk = Buffer.alloc(64 * 1024, "a");
        let sentBytes = 0;
        let answered: (Reply & { sentBytes: number }) | undefined;
        const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers, localAddress, agent: false }, (res) => {
          const sentWhenAnswered = sentBytes;
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (data: string) => (text += data));
          res.on("end", () => {
            answered = { status: res.statusCode ?? 0, headers: res.headers, body: text, sentBytes: sentWhenAnswered };
            req.destroy();
            resolve(answered);
          });
        });
        // Once answered, the server may close the connection on the rest of the body: not a failure.
        req.on("error", (error) => (answered === undefined && !req.writableEnded ? reject(error) : undefined));
        const pump = () => {
          while (answered === undefined && !req.destroyed && sentBytes < totalBytes) {
            sentBytes += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (sentBytes >= totalBytes && !req.writableEnded) req.end();
        };
        pump();
      });
    },
  });
}
