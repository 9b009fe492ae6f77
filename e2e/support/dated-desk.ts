import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startChild, stopChild, waitUntilOk } from "../../scripts/processes";
import { startSimulatorProcess } from "../../scripts/simulator-process";
import { realNow, shiftedClockEnv } from "./clock";

/**
 * A desk of a spec's own living at a moment of its choosing (a month's end, New Year's Eve): the simulator and
 * `next start` of the suite's build, both with their clocks moved there (e2e/support/shifted-clock.mjs), on
 * the built-in simulator with sign-in off and a lead store of their own. `now()` is the desk's clock, which
 * flows from `moment` at the real rate (the spec's idea of today); `offsetMs` puts the browser there too.
 */
export type DatedDesk = { origin: string; offsetMs: number; now(): number; stop(): Promise<void> };

export async function startDatedDesk(moment: number, port: number): Promise<DatedDesk> {
  const offset = Math.round(moment - realNow());
  const clockEnv = shiftedClockEnv(offset);
  const dataDir = mkdtempSync(path.join(tmpdir(), "clue-dated-store-"));
  const simulator = await startSimulatorProcess({ ...clockEnv, SIM_ARRIVALS_PER_MINUTE: "0", SIM_EDITS_PER_MINUTE: "0", SIM_REMOVALS_PER_MINUTE: "0" });
  const origin = `http://127.0.0.1:${port}`;
  const app = startChild("next start", ["node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)], {
    ...process.env,
    ...clockEnv,
    NODE_ENV: "production",
    TANMA_SIMULATOR_URL: simulator.baseUrl,
    // Blank means unset: the built-in simulator, sign-in off.
    TANMA_APP_ID: "",
    TANMA_APP_KEY: "",
    CLUE_DESK_AUTH: "",
    CLUE_DESK_DATA_DIR: dataDir,
    DATABASE_URL: "",
  });
  const stop = async () => {
    await Promise.all([stopChild(app.child), simulator.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilOk(`${origin}/api/dictionary`, app, "next start");
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, offsetMs: offset, now: () => realNow() + offset, stop };
}
