import "server-only";
import { z } from "zod";
import { SIMULATOR_BASE_PATH, SIMULATOR_DEFAULT_PORT } from "@/lib/tanma/simulator-defaults";

/**
 * Every environment variable the server reads, in one schema, validated at server start (instrumentation.ts →
 * lib/startup-check.ts) so a bad value stops the server with the reason instead of failing a request later.
 * A new variable is one more entry here; the modules that use it read `serverEnv()`, never `process.env`.
 * Rules that tie several variables together live with their users (lib/tanma/config.ts, lib/auth/config.ts).
 * Messages name the variable and never repeat its value: some values are secrets.
 */

const httpUrl = (name: string, what = "an http(s) URL") =>
  z.url({ protocol: /^https?$/, error: `${name} must be ${what}` });

const seconds = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .min(0.1, { error: `${name} must be at least 0.1` })
    .max(31_536_000, { error: `${name} is too large` })
    .default(fallback);

const wholeNumber = (name: string, what: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of ${what}` })
    .int({ error: `${name} must be a whole number of ${what}` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} must be at most ${max}` })
    .default(fallback);

const FIELD_LABELS_ERROR = 'CLUE_FIELD_LABELS must be a JSON object of field key → label, e.g. {"custom_123":"渠道"}';

const serverEnvSchema = z.object({
  // The Tanma tenant (lib/tanma/config.ts): both credentials, or neither for the built-in simulator.
  TANMA_APP_ID: z.string().trim().min(1).optional(),
  TANMA_APP_KEY: z.string().trim().min(1).optional(),
  TANMA_BASE_URL: httpUrl("TANMA_BASE_URL").default("https://account.tanmarket.cn/apiServer"),
  TANMA_SIMULATOR_URL: httpUrl("TANMA_SIMULATOR_URL").default(`http://127.0.0.1:${SIMULATOR_DEFAULT_PORT}${SIMULATOR_BASE_PATH}`),
  TANMA_TIMEOUT_MS: z.coerce
    .number({ error: "TANMA_TIMEOUT_MS must be a number of milliseconds" })
    .int({ error: "TANMA_TIMEOUT_MS must be a whole number of milliseconds" })
    .min(100, { error: "TANMA_TIMEOUT_MS must be at least 100" })
    .max(120_000, { error: "TANMA_TIMEOUT_MS must be at most 120000" })
    .default(10_000),
  TANMA_MAX_RPS: z.coerce
    .number({ error: "TANMA_MAX_RPS must be a number of requests per second" })
    .int({ error: "TANMA_MAX_RPS must be a whole number" })
    .min(1, { error: "TANMA_MAX_RPS must be at least 1" })
    .max(1000, { error: "TANMA_MAX_RPS must be at most 1000" })
    .default(10),
  TANMA_MAX_WAIT_MS: wholeNumber("TANMA_MAX_WAIT_MS", "milliseconds", 100, 120_000, 5_000),

  // What the pages show.
  CLUE_FIELD_LABELS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: FIELD_LABELS_ERROR });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.string(), { error: FIELD_LABELS_ERROR }))
    .optional(),
  COMPANY_URL_TEMPLATE: z
    .string()
    .refine((t) => t.includes("{id}") && URL.canParse(t.replaceAll("{id}", "0")) && /^https?:\/\//.test(t), {
      error: "COMPANY_URL_TEMPLATE must be an http(s) URL with {id} where the company id goes",
    })
    .optional(),

  // The lead store (lib/db/config.ts).
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: "DATABASE_URL must be a postgres:// or postgresql:// URL" })
    .optional(),
  CLUE_DESK_DATA_DIR: z.string().default(".data"),
  CLUE_DESK_SECRET: z.string().min(32, { error: "CLUE_DESK_SECRET must be at least 32 characters" }).optional(),
  /** Set by `npm start` for the simulated tenant it generates anew at each start (lib/clues/store/tenant.ts). */
  CLUE_DESK_SIMULATOR_SESSION: z.string().optional(),
  STORE_LIVE_INTERVAL_S: seconds("STORE_LIVE_INTERVAL_S", 15),
  STORE_TODAY_REWALK_S: seconds("STORE_TODAY_REWALK_S", 300),
  STORE_RECENT_MAX_AGE_S: seconds("STORE_RECENT_MAX_AGE_S", 900),
  STORE_OLD_MAX_AGE_S: seconds("STORE_OLD_MAX_AGE_S", 86_400),
  STORE_RETENTION_DAYS: wholeNumber("STORE_RETENTION_DAYS", "days", 1, 36_500, 366),
  STORE_UNREAD_PURGE_DAYS: wholeNumber("STORE_UNREAD_PURGE_DAYS", "days", 1, 36_500, 30),
  STORE_SYNC_CONCURRENCY: wholeNumber("STORE_SYNC_CONCURRENCY", "walks", 1, 32, 4),
  EXPORT_MAX_ROWS: wholeNumber("EXPORT_MAX_ROWS", "rows", 1, 1_000_000, 100_000),
  EXPORT_MAX_CONCURRENT: wholeNumber("EXPORT_MAX_CONCURRENT", "exports", 1, 100, 2),
  STORE_STATEMENT_TIMEOUT_S: seconds("STORE_STATEMENT_TIMEOUT_S", 30),
  AUDIT_RETENTION_DAYS: wholeNumber("AUDIT_RETENTION_DAYS", "days", 1, 36_500, 180),
  PHONE_SEARCH_LIMIT: wholeNumber("PHONE_SEARCH_LIMIT", "searches", 1, 10_000, 20),
  // The touch reader (lib/clues/store/touch-reader.ts).
  TOUCH_WINDOW_DAYS: wholeNumber("TOUCH_WINDOW_DAYS", "days", 1, 60, 7),
  TOUCH_POLL_INTERVAL_S: seconds("TOUCH_POLL_INTERVAL_S", 300),
  TOUCH_MAX_RPS: z.coerce
    .number({ error: "TOUCH_MAX_RPS must be a number of requests per second" })
    .min(0, { error: "TOUCH_MAX_RPS must be ≥ 0 (0 turns the touch reader off)" })
    .max(1000, { error: "TOUCH_MAX_RPS must be at most 1000" })
    .default(2),
  TOUCH_SLA_MINUTES: wholeNumber("TOUCH_SLA_MINUTES", "minutes", 1, 10_080, 60),

  // Group-robot notifications (lib/notifications/): where robots may be, and the desk's address in messages,
  // required once a subscription exists (checked at start and when one is saved).
  NOTIFY_ALLOWED_HOSTS: z
    .string()
    .refine((t) => t.split(",").every((e) => /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(e.trim())), {
      error: "NOTIFY_ALLOWED_HOSTS must be host or host:port entries separated by commas",
    })
    .optional(),
  CLUE_DESK_PUBLIC_URL: httpUrl("CLUE_DESK_PUBLIC_URL", "the desk's public http(s) URL, as links in messages open it").optional(),

  // Sign-in and the API's rate limit (lib/auth/config.ts).
  CLUE_DESK_AUTH: z.enum(["on", "off"], { error: 'CLUE_DESK_AUTH must be "on" or "off"' }).optional(),
  CLUE_DESK_USERS: z.string().optional(),
  /** Users who may read the audit trail, separated by commas. */
  CLUE_DESK_ADMINS: z.string().optional(),
  OIDC_ISSUER: httpUrl("OIDC_ISSUER").optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  NEXTAUTH_URL: httpUrl("NEXTAUTH_URL", "the app's public http(s) URL").optional(),
  API_RATE_LIMIT_RPS: z.coerce
    .number({ error: "API_RATE_LIMIT_RPS must be a number" })
    .min(0, { error: "API_RATE_LIMIT_RPS must be ≥ 0 (0 turns the limit off)" })
    .default(20),
  SIGN_IN_FREE_FAILURES: wholeNumber("SIGN_IN_FREE_FAILURES", "failures", 1, 1000, 5),
  SIGN_IN_FREE_FAILURES_PER_CLIENT: wholeNumber("SIGN_IN_FREE_FAILURES_PER_CLIENT", "failures", 1, 1000, 20),
  SIGN_IN_MAX_LOCK_SECONDS: wholeNumber("SIGN_IN_MAX_LOCK_SECONDS", "seconds", 1, 86_400, 900),
  SIGN_IN_CONCURRENCY: wholeNumber("SIGN_IN_CONCURRENCY", "checks", 1, 16, 1),
  // Proxies whose X-Forwarded-For is believed (lib/security/client-address.ts parses each entry).
  TRUSTED_PROXIES: z.string().optional(),
  // For the people who run it (lib/observability/, lib/server/shutdown.ts).
  METRICS_TOKEN: z.string().min(16, { error: "METRICS_TOKEN must be at least 16 characters" }).optional(),
  SHUTDOWN_GRACE_S: seconds("SHUTDOWN_GRACE_S", 10),
  API_RATE_LIMIT_BURST: z.coerce
    .number({ error: "API_RATE_LIMIT_BURST must be a number" })
    .int({ error: "API_RATE_LIMIT_BURST must be a whole number" })
    .min(1, { error: "API_RATE_LIMIT_BURST must be at least 1" })
    .optional(),
});

export type ServerEnv = z.output<typeof serverEnvSchema>;

/** Blank variables count as unset, as a `.env` line like `TANMA_APP_ID=` means "not configured". */
function withoutBlanks(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ""));
}

/** Parses an environment; throws one error listing every problem, by variable name. */
export function parseServerEnv(env: Readonly<Record<string, string | undefined>>): ServerEnv {
  const parsed = serverEnvSchema.safeParse(withoutBlanks(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`).join("\n");
  throw new Error(`Clue Desk: invalid configuration\n${problems}`);
}

let cached: ServerEnv | undefined;

/** The process's environment, parsed once: at server start, and on first use in processes that skip it (tests). */
export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
