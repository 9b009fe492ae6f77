import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { credentialDigest } from "@/lib/auth/session";
import { startSimulator } from "@/simulator/server";

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

const TENANT = { appId: "tenant-id", appKey: "tenant-key" };
/** The NEXTAUTH_SECRET sessions are sealed with; another secret forges a cookie the server must refuse. */
export const SESSION_SECRET = "real-tenant-test-secret-0123456789-abcdef";

/**
 * Real-tenant mode for a test file or describe block: a simulator that accepts only the tenant's own
 * credentials, sign-in required for `users` (one password for all), `NEXTAUTH_URL` from `appUrl` (read when
 * the block starts, so it may name a server started before it), and `env` on top. `session` makes the cookie
 * Auth.js sets after a user's password sign-in.
 */
export function useRealTenant(users: readonly string[], { appUrl = () => "http://127.0.0.1:3000", env = {} }: { appUrl?: () => string; env?: Record<string, string> } = {}) {
  let simulator: Simulator | undefined;
  let hash = "";
  beforeAll(async () => {
    simulator = await startSimulator({ port: 0, credentials: TENANT });
    hash = await hashPassword("pw-real-tenant-1");
    vi.stubEnv("TANMA_APP_ID", TENANT.appId);
    vi.stubEnv("TANMA_APP_KEY", TENANT.appKey);
    vi.stubEnv("TANMA_BASE_URL", simulator.baseUrl);
    vi.stubEnv("CLUE_DESK_USERS", users.map((name) => `${name}:${hash}`).join(","));
    vi.stubEnv("NEXTAUTH_SECRET", SESSION_SECRET);
    vi.stubEnv("NEXTAUTH_URL", appUrl());
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await simulator?.close();
  });
  return {
    simulator(): Simulator {
      if (simulator === undefined) throw new Error("simulator not started yet");
      return simulator;
    },
    async session(name: string, secret = SESSION_SECRET): Promise<string> {
      const token = await encode({ token: { sub: name, name, provider: "credentials", credential: credentialDigest(hash) }, secret });
      return `next-auth.session-token=${token}`;
    },
  };
}
