import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The processes the benchmark measures: the production build (`next start`) and the built-in simulator,
 * each its own child process on a free 127.0.0.1 port, so the bench process only plays the client.
 */

const NEXT_BIN = "node_modules/next/dist/bin/next";
const READY_TIMEOUT_MS = 60_000;
export const BENCH_MAX_RPS = 1000;

export type Servers = { appOrigin: string; simulatorOrigin: string; simulatorBaseUrl: string; stop(): Promise<void> };

const children = new Set<ChildProcess>();

// A crash or Ctrl-C of the bench must not leave servers behind.
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `next build`, output shown only on failure. Bounded to 10 minutes. */
export async function build(): Promise<void> {
  const child = spawn(process.execPath, [NEXT_BIN, "build"], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  children.add(child);
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 10 * 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  children.delete(child);
  if (code !== 0) {
    process.stderr.write(output);
    throw new Error(`next build failed (exit ${code})`);
  }
}

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
  children.add(child);
  let log = "";
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", () => children.delete(child));
  child.once("error", (error) => {
    log += `\n${name}: ${error.message}`;
  });
  return { child, log: () => log };
}

async function waitUntilOk(url: string, child: ChildProcess, name: string, log: () => string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was ready:\n${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${name} not ready after ${READY_TIMEOUT_MS / 1000}s at ${url}:\n${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * `leadsPerDay` scales the simulator's generated history (its `SIM_LEADS_PER_DAY`); `dataDir` gives the app a
 * lead store of its own (default: the app's default data dir).
 */
export async function startServers(options: { leadsPerDay?: number; dataDir?: string } = {}): Promise<Servers> {
  const [simPort, appPort] = [await freePort(), await freePort()];
  const simulatorOrigin = `http://127.0.0.1:${simPort}`;
  const simulatorBaseUrl = `${simulatorOrigin}/apiServer`;
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const started: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map(stopChild));
  };
  try {
    const sim = startChild("simulator", ["--import", "tsx", "simulator/main.ts"], {
      ...process.env,
      TANMA_SIMULATOR_PORT: String(simPort),
      SIM_LATENCY_MS: "0",
      SIM_ERROR_RATE: "0",
      SIM_RATE_LIMIT_RPS: "0",
      // The proxy bench checks the app returns the rows the simulator does: no lead arrives in between.
      SIM_ARRIVALS_PER_MINUTE: "0",
      SIM_EDITS_PER_MINUTE: "0",
      SIM_REMOVALS_PER_MINUTE: "0",
      ...(options.leadsPerDay === undefined ? {} : { SIM_LEADS_PER_DAY: String(options.leadsPerDay) }),
    });
    started.push(sim.child);
    await waitUntilOk(`${simulatorOrigin}/__sim/stats`, sim.child, "simulator", sim.log);

    const app = startChild("next start", [NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(appPort)], {
      ...process.env,
      NODE_ENV: "production",
      TANMA_SIMULATOR_URL: simulatorBaseUrl,
      // Blank means unset: always the simulator, whatever the shell has.
      TANMA_APP_ID: "",
      TANMA_APP_KEY: "",
      // The upstream limiter (default 10 req/s, Tanma's quota) would queue the bench's own load and measure
      // the quota instead of the proxy; the simulator has no quota, so the limiter is lifted.
      TANMA_MAX_RPS: String(BENCH_MAX_RPS),
      // Likewise the app's own per-client API limit (default 20 req/s): the bench's concurrent load comes
      // from one IP and would be refused with 429s. Sign-in stays off (no tenant, CLUE_DESK_AUTH unset).
      API_RATE_LIMIT_RPS: "0",
      CLUE_DESK_AUTH: "",
      ...(options.dataDir === undefined ? {} : { CLUE_DESK_DATA_DIR: options.dataDir }),
    });
    started.push(app.child);
    await waitUntilOk(`${appOrigin}/api/dictionary`, app.child, "next start", app.log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { appOrigin, simulatorOrigin, simulatorBaseUrl, stop };
}

export async function simulatorStats(simulatorOrigin: string): Promise<{ requests: number; byPath: Record<string, number> }> {
  const res = await fetch(`${simulatorOrigin}/__sim/stats`);
  return (await res.json()) as { requests: number; byPath: Record<string, number> };
}

export async function resetSimulatorStats(simulatorOrigin: string): Promise<void> {
  const res = await fetch(`${simulatorOrigin}/__sim/reset-stats`, { method: "POST" });
  await res.arrayBuffer();
}
