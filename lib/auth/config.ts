import { parsePasswordHash } from "@/lib/auth/password";
import { parseServerEnv, type ServerEnv, serverEnv } from "@/lib/env";

/**
 * Who may sign in, read once from the environment and validated at server start (instrumentation.ts).
 * Sign-in is required whenever a real Tanma tenant is configured; against the built-in simulator it is off
 * unless `CLUE_DESK_AUTH=on`. Required sign-in with no way to sign in stops the server with the reason.
 */

export type AuthConfig =
  | { required: false; rateLimit: RateLimitConfig; appUrl: string | undefined }
  | {
      required: true;
      users: ReadonlyMap<string, string>;
      oidc: OidcConfig | undefined;
      secret: string;
      secureCookies: boolean;
      rateLimit: RateLimitConfig;
      /** `NEXTAUTH_URL`, the app's public URL (optional while sign-in is off). */
      appUrl: string;
      signInThrottle: SignInThrottleConfig;
      /** Users who may read the audit trail (`CLUE_DESK_ADMINS`). */
      admins: ReadonlySet<string>;
    };

export type OidcConfig = { issuer: string; clientId: string; clientSecret: string; name: string };
/** Token bucket per user (per client IP when sign-in is off): `rps` per second, up to `burst` at once; 0 = off. */
export type RateLimitConfig = { rps: number; burst: number };
/**
 * Failed password sign-ins: the first `freeFailuresPerUser` per user name and `freeFailuresPerClient` per client
 * address cost nothing, each further one locks that name or client for twice as long as the last, up to
 * `maxLockSeconds`; at most `concurrency` password checks (scrypt) run at once (lib/auth/sign-in-throttle.ts).
 */
export type SignInThrottleConfig = { freeFailuresPerUser: number; freeFailuresPerClient: number; maxLockSeconds: number; concurrency: number };

/** What a local user's name may be; also what a logged user name must look like (lib/auth/auth-route.ts). */
export const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** Parses `CLUE_DESK_USERS`: `name:hash` pairs separated by commas (whitespace and newlines allowed). */
export function parseUsers(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const entry of text.split(/[,\s]+/).filter(Boolean)) {
    const colon = entry.indexOf(":");
    const name = colon > 0 ? entry.slice(0, colon) : "";
    const hash = entry.slice(colon + 1);
    if (!USER_NAME.test(name)) throw new Error(`CLUE_DESK_USERS: "${entry.slice(0, 20)}…" is not name:hash (name: letters, digits, . _ @ -)`);
    if (parsePasswordHash(hash) === undefined)
      throw new Error(`CLUE_DESK_USERS: the hash of "${name}" is not a scrypt hash; make one with \`npm run hash-password\``);
    if (users.has(name)) throw new Error(`CLUE_DESK_USERS: "${name}" is listed twice`);
    users.set(name, hash);
  }
  return users;
}

/** The sign-in configuration an environment describes (tests pass their own). */
export function parseAuthConfig(env: Readonly<Record<string, string | undefined>>): AuthConfig {
  return authConfigOf(parseServerEnv(env));
}

function authConfigOf(e: ServerEnv): AuthConfig {
  const fail = (problems: string[]): never => {
    throw new Error(`Clue Desk: invalid sign-in configuration\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  };
  const rateLimit = { rps: e.API_RATE_LIMIT_RPS, burst: e.API_RATE_LIMIT_BURST ?? Math.max(1, Math.ceil(e.API_RATE_LIMIT_RPS * 2)) };
  const tenant = e.TANMA_APP_ID !== undefined || e.TANMA_APP_KEY !== undefined;

  if (tenant && e.CLUE_DESK_AUTH === "off") {
    fail(["CLUE_DESK_AUTH=off: sign-in cannot be turned off while a real Tanma tenant (TANMA_APP_ID/TANMA_APP_KEY) is configured"]);
  }
  const required = tenant || e.CLUE_DESK_AUTH === "on";
  if (!required) return { required: false, rateLimit, appUrl: e.NEXTAUTH_URL };

  const why = tenant ? "a real Tanma tenant is configured (TANMA_APP_ID/TANMA_APP_KEY)" : "CLUE_DESK_AUTH=on";
  const problems: string[] = [];
  let users = new Map<string, string>();
  try {
    users = parseUsers(e.CLUE_DESK_USERS ?? "");
  } catch (error) {
    problems.push((error as Error).message);
  }
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
  const oidcSet = oidcParts.filter((v) => v !== undefined).length;
  if (oidcSet > 0 && oidcSet < 3) problems.push("OIDC: set all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none");
  const oidc =
    oidcSet === 3 ? { issuer: e.OIDC_ISSUER!.replace(/\/+$/, ""), clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, name: e.OIDC_NAME ?? "企业 SSO" } : undefined;
  if (problems.length === 0 && users.size === 0 && oidc === undefined) {
    problems.push(
      `sign-in is required because ${why}, but there is no way to sign in: set CLUE_DESK_USERS (name:hash, see \`npm run hash-password\`) and/or OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET`,
    );
  }
  if (e.NEXTAUTH_SECRET === undefined || e.NEXTAUTH_SECRET.length < 32) {
    problems.push(`NEXTAUTH_SECRET must be set (at least 32 characters, e.g. \`openssl rand -base64 32\`) because ${why}`);
  }
  if (e.NEXTAUTH_URL === undefined) problems.push(`NEXTAUTH_URL must be the app's public URL (e.g. https://clues.example.com) because ${why}`);
  if (problems.length > 0) fail(problems);

  return {
    required: true,
    users,
    oidc,
    secret: e.NEXTAUTH_SECRET!,
    secureCookies: e.NEXTAUTH_URL!.startsWith("https://"),
    rateLimit,
    appUrl: e.NEXTAUTH_URL!,
    admins: new Set((e.CLUE_DESK_ADMINS ?? "").split(",").map((name) => name.trim()).filter(Boolean)),
    signInThrottle: {
      freeFailuresPerUser: e.SIGN_IN_FREE_FAILURES,
      freeFailuresPerClient: e.SIGN_IN_FREE_FAILURES_PER_CLIENT,
      maxLockSeconds: e.SIGN_IN_MAX_LOCK_SECONDS,
      concurrency: e.SIGN_IN_CONCURRENCY,
    },
  };
}

let cached: AuthConfig | undefined;

/** The process's sign-in configuration; parsed on first use and at server start (instrumentation.ts). */
export function authConfig(): AuthConfig {
  cached ??= authConfigOf(serverEnv());
  return cached;
}
