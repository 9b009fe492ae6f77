import { TANMA_PATHS } from "../../lib/tanma/schemas";
import { signedHeaders } from "../../lib/tanma/sign";
import { SIMULATOR_BASE_PATH } from "../../lib/tanma/simulator-defaults";
import { DEFAULT_FAULT_KNOBS, type SimulatorKnobs } from "../../simulator/knobs";
import type { NewClue, NewFollowUp } from "../../simulator/changes";
import type { SimulatorStats } from "../../simulator/stats";
import type { UpstreamClue, UpstreamFollowUp } from "../../lib/tanma/schemas";
import { E2E_SIMULATOR_ORIGIN } from "./ports";
import { E2E_APP_ID, E2E_APP_KEY } from "./tenant";

/**
 * The e2e suite's own line to the simulator: its admin endpoint (knobs that make Tanma slow or failing, the
 * traffic it counted) and its Tanma API, called as the e2e tenant, to find records a test needs.
 */

async function admin<T>(route: string, init?: { method: "POST"; body: unknown }): Promise<T> {
  const response = await fetch(`${E2E_SIMULATOR_ORIGIN}/__sim/${route}`, {
    method: init?.method ?? "GET",
    headers: { "content-type": "application/json" },
    ...(init ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!response.ok) throw new Error(`simulator ${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function setSimulatorKnobs(knobs: Partial<SimulatorKnobs>): Promise<void> {
  await admin("knobs", { method: "POST", body: knobs });
}

/** Back to a healthy Tanma; the tenant's life rates are left as the suite started them. */
export function resetSimulatorKnobs(): Promise<void> {
  return setSimulatorKnobs(DEFAULT_FAULT_KNOBS);
}

/** The Tanma requests the simulator has served since it started, by path. */
export function simulatorStats(): Promise<SimulatorStats> {
  return admin<SimulatorStats>("stats");
}

/** A new lead in the tenant (created now unless `createTime` says otherwise), as Tanma will list it. */
export function addClue(clue: NewClue = {}): Promise<UpstreamClue> {
  return admin<UpstreamClue>("clues", { method: "POST", body: clue });
}

/** A follow-up written on a lead now, by `operator` (an empty qwUserId makes it a system entry). */
export function addFollowUp(customerId: number, followUp: NewFollowUp = {}): Promise<UpstreamFollowUp> {
  return admin<UpstreamFollowUp>(`clues/${customerId}/follow-ups`, { method: "POST", body: followUp });
}

/** How many times the app has called Tanma's `path` so far. */
export async function upstreamCalls(path: keyof typeof TANMA_PATHS): Promise<number> {
  return (await simulatorStats()).byPath[TANMA_PATHS[path]] ?? 0;
}

async function callTanma<T>(path: string, body: object): Promise<T> {
  const rawBody = JSON.stringify(body);
  const response = await fetch(`${E2E_SIMULATOR_ORIGIN}${SIMULATOR_BASE_PATH}${path}`, {
    method: "POST",
    headers: signedHeaders({ appId: E2E_APP_ID, appKey: E2E_APP_KEY }, rawBody),
    body: rawBody,
  });
  const envelope = (await response.json()) as { code: number; message: string; data: T };
  if (envelope.code !== 0) throw new Error(`simulator ${path}: code ${envelope.code} ${envelope.message}`);
  return envelope.data;
}

/** The detail shows 20 follow-ups first: whether this clue has more, behind 加载更多. */
export async function hasMoreFollowUps(customerId: string): Promise<boolean> {
  const first = await callTanma<{ nextCursor: string }>(TANMA_PATHS.clueFollowUps, { customerId: Number(customerId), size: 20 });
  if (first.nextCursor === "") return false;
  // A full page always comes with a cursor: with exactly 20 follow-ups, the page after it is empty.
  const second = await callTanma<{ list: unknown[] }>(TANMA_PATHS.clueFollowUps, { customerId: Number(customerId), size: 20, cursor: first.nextCursor });
  return second.list.length > 0;
}

/** Every current clue of a China-day range as the simulator holds it (full phone numbers included), ascending. */
export async function simulatorClues(range: { since: string; before: string }): Promise<UpstreamClue[]> {
  const query = new URLSearchParams(range).toString();
  return (await admin<{ clues: UpstreamClue[] }>(`clues?${query}`)).clues;
}
