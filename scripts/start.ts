import { spawn } from "node:child_process";
import { SIMULATOR_DEFAULT_PORT } from "@/lib/tanma/simulator-defaults";
import { startSimulator } from "@/simulator/server";

/**
 * `npm start` / `npm run dev`: the dashboard, plus the built-in Tanma simulator when no real tenant is
 * configured. The simulator lives in this launcher process; Next.js runs as its own child process.
 */
const mode = process.argv[2];
if (mode !== "start" && mode !== "dev") {
  console.error("usage: tsx scripts/start.ts start|dev");
  process.exit(2);
}

const tenant = Boolean(process.env.TANMA_APP_ID?.trim() && process.env.TANMA_APP_KEY?.trim());
let simulator: Awaited<ReturnType<typeof startSimulator>> | undefined;
if (tenant) {
  console.info("Real Tanma tenant configured: the built-in simulator stays off.");
} else {
  const port = Number(process.env.TANMA_SIMULATOR_PORT || SIMULATOR_DEFAULT_PORT);
  simulator = await startSimulator({ port }).catch((error: unknown) => {
    console.error(`Could not start the Tanma simulator on port ${port}: ${String(error)}`);
    console.error("Is another Clue Desk already running? Set TANMA_SIMULATOR_PORT to use another port.");
    process.exit(1);
  });
  console.info(`Tanma simulator on ${simulator.baseUrl} (set TANMA_APP_ID/TANMA_APP_KEY for a real tenant)`);
}

const next = spawn(process.execPath, ["node_modules/next/dist/bin/next", mode], {
  stdio: "inherit",
  // The simulated tenant is generated anew at each start; the session tells the lead store it is a new tenant.
  env: simulator ? { ...process.env, TANMA_SIMULATOR_URL: simulator.baseUrl, CLUE_DESK_SIMULATOR_SESSION: String(Date.now()) } : process.env,
});

async function shutdown(code: number) {
  await simulator?.close();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => next.kill(signal));
}
next.on("exit", (code, signal) => void shutdown(code ?? (signal ? 1 : 0)));
