import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaToday } from "@/lib/china-time";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import { type SimulatorProcess, startSimulatorProcess } from "../../scripts/simulator-process";
import { ensureBuild } from "../../scripts/cluster";
import { type Child, freePort, startChild, stopChild, waitUntilOk } from "../../scripts/processes";

/**
 * The server as the container image runs it (Dockerfile): Next.js's standalone output with the static files
 * copied beside it, started as `node server.js` from its own folder, on the embedded store. It must find what
 * it reads at run time (the migrations, the PGlite worker and its WASM), answer its health check and pages,
 * send its traces to an OpenTelemetry collector (here a local OTLP/JSON receiver) with the store's and Tanma's
 * spans inside each request's, and stop on SIGTERM with its data dir unlocked.
 */

type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: { key: string; value: { stringValue?: string } }[] };
type OtlpExport = { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };

let simulator: SimulatorProcess;
let app: Child;
let origin: string;
let collector: Server;
const spans: OtlpSpan[] = [];
const home = mkdtempSync(path.join(tmpdir(), "clue-standalone-"));
const imageDir = path.join(home, "app");
const dataDir = path.join(home, "data");

beforeAll(async () => {
  await ensureBuild();
  // The image's layout: the standalone folder, with .next/static beside its server (Next.js leaves it out).
  cpSync(".next/standalone", imageDir, { recursive: true });
  cpSync(".next/static", path.join(imageDir, ".next/static"), { recursive: true });
  collector = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      if (request.url === "/v1/traces") {
        const exported = JSON.parse(body) as OtlpExport;
        for (const resource of exported.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  simulator = await startSimulatorProcess({ SIM_ARRIVALS_PER_MINUTE: "0", SIM_EDITS_PER_MINUTE: "0", SIM_REMOVALS_PER_MINUTE: "0", SIM_ERROR_RATE: "0" });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  mkdirSync("test-logs", { recursive: true });
  const log = createWriteStream("test-logs/standalone.log");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    CLUE_DESK_DATA_DIR: dataDir,
    TANMA_SIMULATOR_URL: simulator.baseUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_SERVICE_NAME: "clue-desk-standalone-test",
  };
  app = startChild("standalone server", [path.join(imageDir, "server.js")], env, (chunk) => log.write(chunk));
  await waitUntilOk(`${origin}/api/health`, app, "standalone server");
}, 600_000);

afterAll(async () => {
  if (app) await stopChild(app.child);
  await simulator?.stop();
  collector?.close();
  rmSync(home, { recursive: true, force: true });
});

describe("the standalone server, as the image runs it", () => {
  it("answers its health check and a page with its static files", async () => {
    const health = await fetch(`${origin}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", store: "pglite" });

    const page = await fetch(`${origin}/clues`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const asset = /\/_next\/static\/[^"]+\.(?:js|css)/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(origin + asset)).status).toBe(200);
  });

  it("traces a request through the store to Tanma", async () => {
    // A day the page above did not read (its default range is the last week): the request walks it.
    const day = addDays(chinaToday(), -40);
    const list = await fetch(`${origin}/api/clues?since=${day}&before=${addDays(day, 1)}&size=10`);
    expect(list.status).toBe(200);
    // The exporter sends in batches, every few seconds: the request's span ends (and leaves) after the others.
    const chainOf = (span: OtlpSpan) => {
      const chain = [span];
      for (let parent = spans.find((s) => s.spanId === span.parentSpanId); parent; parent = spans.find((s) => s.spanId === parent!.parentSpanId)) chain.push(parent);
      return chain;
    };
    // The follower's walk of today has Tanma calls too, in traces of its own: the request's are those under its span.
    const traced = () => spans.filter((span) => span.name === "tanma.call").map(chainOf).find((chain) => chain.some((span) => span.name === "store.walk_day") && chain.some((span) => /^GET \/api\/clues/.test(span.name)));
    const deadline = performance.now() + 30_000;
    while (!traced() && performance.now() < deadline) await sleep(250);
    const chain = traced();
    expect(chain, `chains received: ${JSON.stringify(spans.filter((s) => s.name === "tanma.call").map((s) => chainOf(s).map((c) => c.name)))}`).toBeDefined();
    const [tanma, ...ancestors] = chain!;
    // From the Tanma call up to the root: the day walk, and above it the route's and the request's spans from Next.js.
    expect(ancestors.map((span) => span.name).slice(0, 2)).toEqual(["store.walk_day", "executing api route (app) /api/clues"]);
    const trace = spans.filter((span) => span.traceId === tanma!.traceId);
    expect(trace.some((span) => span.name === "store.read_page")).toBe(true);
    expect(tanma!.attributes?.find((attribute) => attribute.key === "tanma.path")?.value.stringValue).toBe(TANMA_PATHS.clueList);
  });

  it("stops on SIGTERM with the data dir closed and unlocked", async () => {
    expect(existsSync(path.join(dataDir, "pglite.lock"))).toBe(true);
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
    app.child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
  });
});
