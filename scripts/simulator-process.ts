import type { ChildProcess } from "node:child_process";
import type { SimulatorStats } from "@/simulator/stats";
import type { UpstreamClue } from "@/lib/tanma/schemas";
import { freePort, startChild, stopChild, waitUntilOk } from "./processes";

/**
 * The simulator in a process of its own, driven through its `/__sim/*` admin routes: for measurements that a
 * busy client process must not distort (its request clock would be the client's event loop otherwise), as the
 * benchmark and the cluster test make them.
 */

export type SimulatorProcess = {
  origin: string;
  /** What the app's TANMA_SIMULATOR_URL is. */
  baseUrl: string;
  child: ChildProcess;
  stats(): Promise<SimulatorStats>;
  resetStats(): Promise<void>;
  addClue(): Promise<UpstreamClue>;
  cluesBetween(since: string, before: string): Promise<UpstreamClue[]>;
  stop(): Promise<void>;
};

async function admin<T>(origin: string, route: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${origin}/__sim/${route}`, init);
  if (!response.ok) throw new Error(`simulator ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Starts `simulator/main.ts` on a free port with `env` (SIM_* knobs) and waits until it answers. */
export async function startSimulatorProcess(env: Record<string, string> = {}): Promise<SimulatorProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const started = startChild("simulator", ["--import", "tsx", "simulator/main.ts"], { ...process.env, TANMA_SIMULATOR_PORT: String(port), ...env });
  try {
    await waitUntilOk(`${origin}/__sim/stats`, started, "simulator");
  } catch (error) {
    await stopChild(started.child);
    throw error;
  }
  return {
    origin,
    baseUrl: `${origin}/apiServer`,
    child: started.child,
    stats: () => admin(origin, "stats"),
    resetStats: async () => void (await admin(origin, "reset-stats", { method: "POST" })),
    addClue: () => admin(origin, "clues", { method: "POST" }),
    cluesBetween: async (since, before) => (await admin<{ clues: UpstreamClue[] }>(origin, `clues?${new URLSearchParams({ since, before })}`)).clues,
    stop: () => stopChild(started.child),
  };
}
