import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { adminReply, type AdminOperations } from "./admin";
import { authError, type SimulatorCredentials } from "./auth";
import { SIMULATOR_BASE_PATH, SIMULATOR_CREDENTIALS, SIMULATOR_DEFAULT_PORT } from "@/lib/tanma/simulator-defaults";
import { addClue, addFollowUp, cluesBetween, editClue, removeClue } from "./changes";
import { generateDataset, type Dataset } from "./dataset";
import { TANMA_ERRORS, TanmaError, type TanmaErrorSpec } from "./errors";
import { HANDLERS, type Handler } from "./handlers";
import { DEFAULT_KNOBS, patchKnobs, type SimulatorKnobs } from "./knobs";
import { TenantLife } from "./life";
import { createRandom, mixSeed } from "./random";
import { RollingWindow } from "./rolling-window";
import { TrafficStats } from "./stats";

export type { SimulatorKnobs } from "./knobs";
export type { SimulatorStats } from "./stats";
export type { Dataset } from "./dataset";
export type { CluePatch, ClueRange, NewClue, NewFollowUp } from "./changes";

export type SimulatorOptions = {
  /** 0 = ephemeral; default SIMULATOR_DEFAULT_PORT. */
  port?: number;
  host?: string;
  /** Epoch ms the generated history ends at; default the clock's now. The signature clock is always the real one. */
  now?: number;
  /**
   * The tenant's now (epoch ms), which arrivals, edits and removals follow; default: from `now` on at real
   * speed. A test injects one to move the tenant's time by hand.
   */
  clock?: () => number;
  seed?: number;
  /** Average generated clues per China day over the 180-day history; default ≈133 (24,000 in all). */
  leadsPerDay?: number;
  knobs?: Partial<SimulatorKnobs>;
  /** The app credentials it accepts; default the public simulator pair. Tests set a "real tenant" pair. */
  credentials?: SimulatorCredentials;
};

export type Simulator = AdminOperations & {
  /** e.g. http://127.0.0.1:4010/apiServer */
  baseUrl: string;
  origin: string;
  port: number;
  /** The tenant's data; it changes as the tenant lives (see `catchUp`). */
  dataset: Dataset;
  /** Applies the arrivals, edits and removals due by the tenant's now (every request and method does this first). */
  catchUp(): void;
  close(): Promise<void>;
};

type Envelope = { code: number; message: string; data: unknown };
type Reply = { status: number; envelope: Envelope; rejectedAs?: string } | { reset: true };

const failure = (spec: TanmaErrorSpec, status = 200, rejectedAs = String(spec.code)): Reply => ({
  status,
  envelope: { code: spec.code, message: spec.message, data: null },
  rejectedAs,
});

/** A local fake of the Tanma OpenAPI (see shared/upstream/tanma-openapi.md), plus `/__sim/*` admin routes. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const startedAt = Date.now();
  const anchor = options.now ?? options.clock?.() ?? startedAt;
  const clock = options.clock ?? (() => anchor + (Date.now() - startedAt));
  const dataset = generateDataset({ now: anchor, seed: options.seed, leadsPerDay: options.leadsPerDay });
  let knobs = patchKnobs(DEFAULT_KNOBS, options.knobs ?? {});
  const life = new TenantLife(dataset, clock, knobs);
  /** Draws the ids of leads added by hand, apart from the tenant's own life. */
  const byHand = createRandom(mixSeed(dataset.seed, 0x4a4d));
  const credentials = options.credentials ?? SIMULATOR_CREDENTIALS;
  const traffic = new TrafficStats();
  const admitted = new RollingWindow(1000);

  function tanmaReply(req: IncomingMessage, handler: Handler, rawBody: string, rateLimited: boolean): Reply {
    if (req.method !== "POST") return failure(TANMA_ERRORS.methodNotAllowed, 405);
    if (rateLimited) return failure(TANMA_ERRORS.rateLimited, 429);
    if (knobs.errorRate > 0 && Math.random() < knobs.errorRate) {
      if (knobs.errorMode === "reset") return { reset: true };
      return knobs.errorMode === "http503"
        ? failure(TANMA_ERRORS.injectedOutage, 503, "injected")
        : failure(TANMA_ERRORS.injectedBusiness, 200, "injected");
    }
    const denied = authError(req.headers, rawBody, Date.now() + knobs.clockOffsetMs, credentials);
    if (denied !== undefined) return failure(denied);
    let body: unknown;
    try {
      body = rawBody.trim() === "" ? {} : JSON.parse(rawBody);
    } catch {
      return failure(TANMA_ERRORS.badJson);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return failure(TANMA_ERRORS.badJson);
    try {
      life.catchUp();
      return { status: 200, envelope: { code: 0, message: "ok", data: handler(dataset, body as Record<string, unknown>, clock()) } };
    } catch (error) {
      if (error instanceof TanmaError) return failure(error);
      throw error;
    }
  }

  async function handleTanma(req: IncomingMessage, res: ServerResponse, path: string, handler: Handler) {
    const startedAt = performance.now();
    traffic.started(path, startedAt);
    // Decided on arrival, so a slow response (latencyMs) does not change who gets through.
    const rateLimited = knobs.rateLimitRps > 0 && admitted.count(startedAt) >= knobs.rateLimitRps;
    if (!rateLimited) admitted.add(startedAt);
    const rawBody = await readBody(req);
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    const reply = tanmaReply(req, handler, rawBody, rateLimited);
    if ("reset" in reply) {
      traffic.rejected("injected");
      req.socket.destroy();
      return;
    }
    if (reply.rejectedAs !== undefined) traffic.rejected(reply.rejectedAs);
    sendJson(res, reply.status, reply.envelope);
  }

  const operations: AdminOperations & Pick<Simulator, "catchUp"> = {
    stats: () => traffic.snapshot(),
    resetStats: () => traffic.reset(),
    setKnobs(patch) {
      knobs = patchKnobs(knobs, patch);
      life.setRates(knobs);
      return knobs;
    },
    catchUp: () => life.catchUp(),
    addClue(input) {
      life.catchUp();
      return addClue(dataset, input, clock(), byHand);
    },
    editClue(customerId, patch) {
      life.catchUp();
      return editClue(dataset, customerId, patch, clock());
    },
    removeClue(customerId) {
      life.catchUp();
      removeClue(dataset, customerId);
    },
    cluesBetween(range) {
      life.catchUp();
      return cluesBetween(dataset, range);
    },
    addFollowUp(customerId, input) {
      life.catchUp();
      return addFollowUp(dataset, customerId, input, clock(), byHand);
    },
    followUpsOf(customerId) {
      life.catchUp();
      return dataset.followUpsOf(customerId, clock());
    },
  };

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, route: string, query: URLSearchParams) {
    const rawBody = await readBody(req);
    const reply = adminReply(operations, req.method ?? "GET", route, query, rawBody);
    if (reply.body === undefined) res.writeHead(reply.status).end();
    else sendJson(res, reply.status, reply.body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const path = url.pathname;
    const endpoint = path.startsWith(`${SIMULATOR_BASE_PATH}/`) ? path.slice(SIMULATOR_BASE_PATH.length) : undefined;
    const handler = endpoint === undefined ? undefined : HANDLERS[endpoint];
    const done =
      path.startsWith("/__sim/")
        ? handleAdmin(req, res, path.slice("/__sim/".length), url.searchParams)
        : endpoint !== undefined && handler !== undefined
          ? handleTanma(req, res, endpoint, handler)
          : readBody(req).then(() => sendJson(res, 404, { ...TANMA_ERRORS.unknownPath, data: null }));
    done.catch((error: unknown) => {
      console.error("simulator: request failed", error);
      if (!res.headersSent) sendJson(res, 500, { code: -1, message: "模拟器内部错误", data: null });
    });
  });
  // Longer than clients' pool idle timeouts, so the client, not the server, decides when to drop a connection.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => {
      life.stop();
      reject(error);
    });
    server.listen(options.port ?? SIMULATOR_DEFAULT_PORT, options.host ?? "127.0.0.1", () => {
      server.removeAllListeners("error");
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const urlHost = address === "0.0.0.0" || address === "::" ? "127.0.0.1" : address.includes(":") ? `[${address}]` : address;
  const origin = `http://${urlHost}:${port}`;

  return {
    baseUrl: origin + SIMULATOR_BASE_PATH,
    origin,
    port,
    dataset,
    ...operations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        life.stop();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
