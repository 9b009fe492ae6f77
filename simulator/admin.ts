import { z } from "zod";
import type { UpstreamClue, UpstreamFollowUp } from "@/lib/tanma/schemas";
import { TenantChangeError, type CluePatch, type ClueRange, type NewClue, type NewFollowUp } from "./changes";
import type { SimulatorKnobs } from "./knobs";
import type { SimulatorStats } from "./stats";

/**
 * What the `/__sim/*` admin routes drive: the same operations the Simulator object offers in process. Bad
 * input throws a ZodError or a TenantChangeError (400, or 404 for an unknown clue) and changes nothing.
 */
export type AdminOperations = {
  stats(): SimulatorStats;
  resetStats(): void;
  /** Returns the knobs in force. */
  setKnobs(patch: Partial<SimulatorKnobs>): SimulatorKnobs;
  /** A lead created now (or at `createTime`), drawn like the generated ones, with the given values. */
  addClue(input?: NewClue): UpstreamClue;
  /** Sets fields (valueAsText; null clears) and/or replaces the tags; `lastUpdateTime` moves to now. */
  editClue(customerId: number, patch: CluePatch): UpstreamClue;
  /** The lead leaves the clue list (converted or deleted): no longer listed, clue/get answers 40404. */
  removeClue(customerId: number): void;
  /** Every current clue created in [since, before), ascending, unpaged: the truth to compare a copy with. */
  cluesBetween(range: ClueRange): UpstreamClue[];
  /** A follow-up written on the clue now (or at `createTime`), by a salesperson unless `operator` says otherwise. */
  addFollowUp(customerId: number, input?: NewFollowUp): UpstreamFollowUp;
  /** The clue's follow-ups up to the tenant's now, newest first: the truth a store of first touches is compared with. */
  followUpsOf(customerId: number): UpstreamFollowUp[];
};

export type AdminReply = { status: number; body?: unknown };

const CLUE_ROUTE_RE = /^clues\/([^/]+)$/;
const FOLLOW_UP_ROUTE_RE = /^clues\/([^/]+)\/follow-ups$/;
const ROUTES: Record<string, readonly string[]> = { stats: ["GET"], "reset-stats": ["POST"], knobs: ["POST"], clues: ["GET", "POST"] };

/**
 * One admin request: JSON in and out, `{ error }` with a 4xx on bad input (the operations check it and
 * change nothing then). `route` is the path after `/__sim/`.
 */
export function adminReply(ops: AdminOperations, method: string, route: string, query: URLSearchParams, rawBody: string): AdminReply {
  try {
    return dispatch(ops, method, route, query, rawBody);
  } catch (error) {
    if (error instanceof z.ZodError) return { status: 400, body: { error: z.prettifyError(error) } };
    if (error instanceof TenantChangeError) return { status: error.status, body: { error: error.message } };
    throw error;
  }
}

function dispatch(ops: AdminOperations, method: string, route: string, query: URLSearchParams, rawBody: string): AdminReply {
  const key = `${method} ${route}`;
  if (key === "GET stats") return { status: 200, body: ops.stats() };
  if (key === "POST reset-stats") {
    ops.resetStats();
    return { status: 200, body: ops.stats() };
  }
  if (key === "POST knobs") return { status: 200, body: ops.setKnobs((jsonBody(rawBody) ?? {}) as Partial<SimulatorKnobs>) };
  if (key === "GET clues") return { status: 200, body: { clues: ops.cluesBetween(rangeQuery(query) as ClueRange) } };
  if (key === "POST clues") return { status: 201, body: ops.addClue(jsonBody(rawBody) as NewClue | undefined) };

  const followUpIdText = FOLLOW_UP_ROUTE_RE.exec(route)?.[1];
  if (followUpIdText !== undefined) {
    if (method !== "POST") return notAllowed(method);
    return { status: 201, body: ops.addFollowUp(customerIdOf(followUpIdText), jsonBody(rawBody) as NewFollowUp | undefined) };
  }
  const idText = CLUE_ROUTE_RE.exec(route)?.[1];
  if (idText !== undefined) {
    if (method !== "PATCH" && method !== "DELETE") return notAllowed(method);
    const customerId = customerIdOf(idText);
    if (method === "DELETE") {
      ops.removeClue(customerId);
      return { status: 204 };
    }
    return { status: 200, body: ops.editClue(customerId, jsonBody(rawBody) as CluePatch) };
  }
  return route in ROUTES ? notAllowed(method) : { status: 404, body: { error: `unknown admin route ${route}` } };
}

function customerIdOf(idText: string): number {
  const customerId = /^\d{1,16}$/.test(idText) ? Number(idText) : NaN;
  if (!Number.isSafeInteger(customerId) || customerId <= 0) {
    throw new TenantChangeError(400, `customer id must be a positive integer, got "${idText}"`);
  }
  return customerId;
}

const notAllowed = (method: string): AdminReply => ({ status: 405, body: { error: `method ${method} not allowed` } });

/** The parsed body; undefined when there is none, a 400 when it is not JSON. */
function jsonBody(rawBody: string): unknown {
  if (rawBody.trim() === "") return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new TenantChangeError(400, "body must be JSON");
  }
}

/** `?since&before[&type]` as the range schema takes it; other parameters are refused by the schema. */
function rangeQuery(query: URLSearchParams): Record<string, unknown> {
  const range: Record<string, unknown> = Object.fromEntries(query);
  if (typeof range.type === "string" && /^[12]$/.test(range.type)) range.type = Number(range.type);
  return range;
}
