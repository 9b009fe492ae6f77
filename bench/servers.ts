import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, runToEnd, startChild, stopChild, waitUntilOk } from "../scripts/processes";
import { type SimulatorProcess, startSimulatorProcess } from "../scripts/simulator-process";

/**
 * The processes the benchmark measures: the production build (`next start`) and the built-in simulator,
 * each its own child process on a free 127.0.0.1 port, so the bench process only plays the client.
 */

const NEXT_BIN = "node_modules/next/dist/bin/next";
export const BENCH_MAX_RPS = 1000;

export type Servers = {
  appOrigin: string;
  simulator: SimulatorProcess;
  /** The `next start` process, for memory readings. */
  appPid: number;
  stop(): Promise<void>;
};

/** Extra environment for one set of servers: the simulator's volume, the app's quota and intervals. */
export type ServerOptions = { simulatorEnv?: Record<string, string>; appEnv?: Record<string, string> };

/** `next build`, output shown only on failure. Bounded to 10 minutes. */
export async function build(): Promise<void> {
  await runToEnd("next build", [NEXT_BIN, "build"], process.env, 10 * 60_000);
}

export async function startServers(options: ServerOptions = {}): Promise<Servers> {
  const appPort = await freePort();
  // Each set of servers has a lead store of its own, empty at start, removed at stop.
  const dataDir = mkdtempSync(path.join(tmpdir(), "clue-bench-store-"));
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const started: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map(stopChild));
    rmSync(dataDir, { recursive: true, force: true });
  };
  let simulator: SimulatorProcess | undefined;
  try {
    simulator = await startSimulatorProcess({
      SIM_LATENCY_MS: "0",
      SIM_ERROR_RATE: "0",
      SIM_RATE_LIMIT_RPS: "0",
      // The proxy bench checks the app returns the rows the simulator does: no lead arrives in between.
      SIM_ARRIVALS_PER_MINUTE: "0",
      SIM_EDITS_PER_MINUTE: "0",
      SIM_REMOVALS_PER_MINUTE: "0",
      ...options.simulatorEnv,
    });
    started.push(simulator.child);

    const app = startChild("next start", [NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(appPort)], {
      ...process.env,
      NODE_ENV: "production",
      TANMA_SIMULATOR_URL: simulator.baseUrl,
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
      CLUE_DESK_DATA_DIR: dataDir,
      DATABASE_URL: "",
      ...options.appEnv,
    });
    started.push(app.child);
    await waitUntilOk(`${appOrigin}/api/dictionary`, app, "next start");
  } catch (error) {
    await stop();
    throw error;
  }
  return { appOrigin, simulator: simulator!, appPid: started[1]?.pid ?? 0, stop };
}
