import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { metrics } from "@/lib/observability/metrics";

/**
 * The HTTP server's requests in flight, and their drain at shutdown (lib/db/shutdown.ts runs it on SIGTERM):
 * the server stops accepting connections, each answer from then on closes its connection (a reverse proxy's
 * kept-alive connection takes no further request here), `/api/health` answers 503, and the drain resolves once
 * every request in flight has been answered, or when the grace period is over.
 *
 * Next.js (`next start`) does not hand its server to the app: Node's `http.server.request.start` diagnostics
 * channel names it with each request (as for lib/security/front-door.ts). A request counts as in flight from
 * then until its response closes, answered or abandoned by its client.
 */

type DrainState = { tracking: boolean; servers: Set<Server>; inFlight: number; draining: boolean; idle: Set<() => void> };

const STATE = Symbol.for("clue-desk.http-drain");
type Holder = { [STATE]?: DrainState };

function state(): DrainState {
  const holder = globalThis as Holder;
  holder[STATE] ??= { tracking: false, servers: new Set(), inFlight: 0, draining: false, idle: new Set() };
  return holder[STATE];
}

/** Starts counting requests (instrumentation.ts, once per process). */
export function trackRequests(): void {
  const tracked = state();
  if (tracked.tracking) return;
  tracked.tracking = true;
  subscribe("http.server.request.start", (message) => {
    const { server, response } = message as { server: Server; request: IncomingMessage; response: ServerResponse };
    tracked.servers.add(server);
    tracked.inFlight++;
    metrics().inFlight.set(tracked.inFlight);
    if (tracked.draining && !response.headersSent) response.setHeader("connection", "close");
    response.once("close", () => {
      tracked.inFlight--;
      metrics().inFlight.set(tracked.inFlight);
      if (tracked.inFlight === 0) for (const resolve of tracked.idle) resolve();
    });
  });
}

/** Whether this instance is shutting down (its health check then says so). */
export function isDraining(): boolean {
  return state().draining;
}

/**
 * Stops taking requests and waits, up to `graceMs`, for those in flight. Resolves with how many were still
 * running when it gave up (0 when all were answered).
 */
export async function drainRequests(graceMs: number): Promise<number> {
  const tracked = state();
  tracked.draining = true;
  // `close` stops the listening socket and closes idle kept-alive connections; busy ones close after their answer.
  for (const server of tracked.servers) server.close();
  if (tracked.inFlight > 0) {
    let resolveIdle!: () => void;
    const idle = new Promise<void>((resolve) => (resolveIdle = resolve));
    tracked.idle.add(resolveIdle);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    tracked.idle.delete(resolveIdle);
  }
  // A connection that went idle during the drain (an answer whose headers had left before it began) goes too.
  for (const server of tracked.servers) server.closeIdleConnections();
  return tracked.inFlight;
}
