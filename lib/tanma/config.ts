import "server-only";
import { z } from "zod";
import { SIMULATOR_APP_ID, SIMULATOR_APP_KEY, SIMULATOR_BASE_PATH, SIMULATOR_DEFAULT_PORT } from "@/simulator/credentials";

/**
 * Where Clue Desk's Tanma calls go, read once from the environment. With `TANMA_APP_ID` and `TANMA_APP_KEY`
 * set, every call goes to `TANMA_BASE_URL` and nowhere else; with neither set, to the built-in simulator.
 */
const envSchema = z
  .object({
    TANMA_BASE_URL: z.url({ error: "TANMA_BASE_URL must be an http(s) URL" }).default("https://account.tanmarket.cn/apiServer"),
    TANMA_APP_ID: z.string().trim().min(1).optional(),
    TANMA_APP_KEY: z.string().trim().min(1).optional(),
    TANMA_SIMULATOR_URL: z
      .url({ error: "TANMA_SIMULATOR_URL must be an http(s) URL" })
      .default(`http://127.0.0.1:${SIMULATOR_DEFAULT_PORT}${SIMULATOR_BASE_PATH}`),
    TANMA_TIMEOUT_MS: z.coerce
      .number({ error: "TANMA_TIMEOUT_MS must be a number of milliseconds" })
      .int()
      .min(100, { error: "TANMA_TIMEOUT_MS must be at least 100" })
      .max(120_000, { error: "TANMA_TIMEOUT_MS must be at most 120000" })
      .default(10_000),
    TANMA_MAX_RPS: z.coerce
      .number({ error: "TANMA_MAX_RPS must be a number of requests per second" })
      .int({ error: "TANMA_MAX_RPS must be a whole number" })
      .min(1, { error: "TANMA_MAX_RPS must be at least 1" })
      .max(1000, { error: "TANMA_MAX_RPS must be at most 1000" })
      .default(10),
    TANMA_MAX_WAIT_MS: z.coerce
      .number({ error: "TANMA_MAX_WAIT_MS must be a number of milliseconds" })
      .int({ error: "TANMA_MAX_WAIT_MS must be a whole number" })
      .min(100, { error: "TANMA_MAX_WAIT_MS must be at least 100" })
      .max(120_000, { error: "TANMA_MAX_WAIT_MS must be at most 120000" })
      .default(5_000),
  })
  .refine((env) => (env.TANMA_APP_ID === undefined) === (env.TANMA_APP_KEY === undefined), {
    error: "set both TANMA_APP_ID and TANMA_APP_KEY for a real tenant, or neither for the built-in simulator",
  });

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

/** Blank variables count as unset, as a `.env` line like `TANMA_APP_ID=` means "not configured". */
function readEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ""));
}

export function parseTanmaConfig(env: Readonly<Record<string, string | undefined>>): TanmaConfig {
  const parsed = envSchema.safeParse(readEnv(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`).join("\n");
    throw new Error(`Clue Desk: invalid Tanma configuration\n${problems}`);
  }
  const e = parsed.data;
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

let cached: TanmaConfig | undefined;

/** The process's configuration; parsed on first use and at server start (instrumentation.ts). */
export function tanmaConfig(): TanmaConfig {
  cached ??= parseTanmaConfig(process.env);
  return cached;
}
