import "server-only";
import { parseServerEnv, type ServerEnv, serverEnv } from "@/lib/env";
import { SIMULATOR_APP_ID, SIMULATOR_APP_KEY } from "@/lib/tanma/simulator-defaults";

/**
 * Where Clue Desk's Tanma calls go. With `TANMA_APP_ID` and `TANMA_APP_KEY` set, every call goes to
 * `TANMA_BASE_URL` and nowhere else; with neither set, to the built-in simulator; one without the other is
 * refused at server start.
 */
export type TanmaConfig = {
  mode: "tenant" | "simulator";
  baseUrl: string;
  appId: string;
  appKey: string;
  timeoutMs: number;
  maxRequestsPerSecond: number;
  /** Longest estimated wait for a share of the upstream budget a user's request accepts; beyond it, 429. */
  maxWaitMs: number;
};

function tanmaConfigOf(e: ServerEnv): TanmaConfig {
  if ((e.TANMA_APP_ID === undefined) !== (e.TANMA_APP_KEY === undefined)) {
    throw new Error(
      "Clue Desk: invalid Tanma configuration\n  - set both TANMA_APP_ID and TANMA_APP_KEY for a real tenant, or neither for the built-in simulator",
    );
  }
  const tenant = e.TANMA_APP_ID !== undefined && e.TANMA_APP_KEY !== undefined;
  return {
    mode: tenant ? "tenant" : "simulator",
    baseUrl: (tenant ? e.TANMA_BASE_URL : e.TANMA_SIMULATOR_URL).replace(/\/+$/, ""),
    appId: e.TANMA_APP_ID ?? SIMULATOR_APP_ID,
    appKey: e.TANMA_APP_KEY ?? SIMULATOR_APP_KEY,
    timeoutMs: e.TANMA_TIMEOUT_MS,
    maxRequestsPerSecond: e.TANMA_MAX_RPS,
    maxWaitMs: e.TANMA_MAX_WAIT_MS,
  };
}

/** The configuration an environment describes (tests pass their own). */
export function parseTanmaConfig(env: Readonly<Record<string, string | undefined>>): TanmaConfig {
  return tanmaConfigOf(parseServerEnv(env));
}

let cached: TanmaConfig | undefined;

/** The process's configuration; derived on first use and at server start (instrumentation.ts). */
export function tanmaConfig(): TanmaConfig {
  cached ??= tanmaConfigOf(serverEnv());
  return cached;
}
