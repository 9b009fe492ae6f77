import { DEFAULT_KNOBS, type SimulatorKnobs } from "../../simulator/knobs";
import { E2E_SIMULATOR_ORIGIN } from "./ports";

/** The simulator's knobs, flipped over its admin endpoint so a test can make Tanma slow or failing. */

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
