import { afterAll, beforeAll } from "vitest";
import { startSimulator } from "@/simulator/server";
import { signedHeaders } from "@/lib/tanma/sign";
import { SIMULATOR_CREDENTIALS } from "@/lib/tanma/simulator-defaults";
import { LIFE_OFF } from "@/simulator/knobs";

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

/**
 * Starts a real simulator for this test file and points the Tanma client at it. Vitest gives each file its
 * own module graph, so the client's configuration is read fresh, after this has set the environment. The
 * tenant changes only when a test says so, since tests compare the app's answers with the simulator's.
 */
export function useSimulator(env: Record<string, string> = {}): () => Simulator {
  let simulator: Simulator | undefined;
  beforeAll(async () => {
    simulator = await startSimulator({ port: 0, knobs: LIFE_OFF });
    Object.assign(process.env, env, { TANMA_SIMULATOR_URL: simulator.baseUrl });
    delete process.env.TANMA_APP_ID;
    delete process.env.TANMA_APP_KEY;
  });
  afterAll(async () => {
    await simulator?.close();
  });
  return () => {
    if (simulator === undefined) throw new Error("simulator not started yet");
    return simulator;
  };
}

/** A signed call straight to the simulator, bypassing Clue Desk: the reference the API is compared with. */
export async function callTanmaDirectly(baseUrl: string, path: string, body: object): Promise<{ code: number; message: string; data: unknown }> {
  const rawBody = JSON.stringify(body);
  const response = await fetch(baseUrl + path, { method: "POST", headers: signedHeaders(SIMULATOR_CREDENTIALS, rawBody), body: rawBody });
  return (await response.json()) as { code: number; message: string; data: unknown };
}
