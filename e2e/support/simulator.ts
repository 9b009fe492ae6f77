import { DEFAULT_FAULT_KNOBS, type SimulatorKnobs } from "../../simulator/knobs";
import { E2E_SIMULATOR_ORIGIN } from "./ports";

/** Flips the simulator's knobs over its admin endpoint, so a test can make Tanma slow or failing. */
export async function setSimulatorKnobs(knobs: Partial<SimulatorKnobs>): Promise<void> {
  const response = await fetch(`${E2E_SIMULATOR_ORIGIN}/__sim/knobs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(knobs),
  });
  if (!response.ok) throw new Error(`simulator knobs: HTTP ${response.status} ${await response.text()}`);
}

/** Back to a healthy Tanma; the tenant's life rates are left as the suite started them. */
export function resetSimulatorKnobs(): Promise<void> {
  return setSimulatorKnobs(DEFAULT_FAULT_KNOBS);
}
