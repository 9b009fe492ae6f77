import type { TestProject } from "vitest/node";
import { startSimulator } from "@/simulator/server";

declare module "vitest" {
  export interface ProvidedContext {
    simulatorBaseUrl: string;
  }
}

/**
 * Every unit and route-handler test talks to a real simulator on an ephemeral port, never a mock: the Tanma
 * client reads `TANMA_SIMULATOR_URL` as it does in production (see tests/setup-env.ts).
 */
export default async function setup(project: TestProject) {
  const simulator = await startSimulator({ port: 0 });
  project.provide("simulatorBaseUrl", simulator.baseUrl);
  return () => simulator.close();
}
