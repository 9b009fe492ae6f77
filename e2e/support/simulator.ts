import { E2E_SIMULATOR_ORIGIN } from "./ports";

/** The simulator's knobs, flipped over its admin endpoint so a test can make Tanma slow or failing. */
export type SimulatorKnobs = {
  latencyMs: number;
  errorRate: number;
  errorMode: "http503" | "business" | "reset";
  rateLimitRps: number;
  clockOffsetMs: number;
};

export const DEFAULT_KNOBS: SimulatorKnobs = { latencyMs: 0, errorRate: 0, errorMode: "http503", rateLimitRps: 0, clockOffsetMs: 0 };

export async function setSimulatorKnobs(knobs: Partial<SimulatorKnobs>): Promise<void> {
  const response = await fetch(`${E2E_SIMULATOR_ORIGIN}/__sim/knobs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(knobs),
  });
  if (!response.ok) throw new Error(`simulator knobs: HTTP ${response.status} ${await response.text()}`);
}

export function resetSimulatorKnobs(): Promise<void> {
  return setSimulatorKnobs(DEFAULT_KNOBS);
}
