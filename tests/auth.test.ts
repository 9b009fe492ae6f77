import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseAuthConfig, parseUsers } from "@/lib/auth/config";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { TokenBuckets } from "@/lib/auth/rate-limit";
import { useRealTenant } from "./support/real-tenant";
import { useRouteServer } from "./support/route-server";

/** Sign-in configuration, passwords, the token bucket, and the API gate in real-tenant mode. */

const SECRET = "test-secret-test-secret-test-secret-0123";
const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
const tenant = { TANMA_APP_ID: "tenant-id", TANMA_APP_KEY: "tenant-key" };

describe("passwords", () => {
  it("verifies what it hashed and nothing else", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^scrypt\.15\.8\.1\.[\w-]+\.[\w-]+$/);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct hors", hash)).toBe(false);
    expect(await verifyPassword("correct horse", "scrypt.15.8.1.bad")).toBe(false);
    expect(await hashPassword("correct horse")).not.toBe(hash); // salted
  });
});

describe("sign-in configuration", () => {
  let hash: string;
  beforeAll(async () => {
    hash = await hashPassword("pw-for-config");
  });

  it("is off against the simulator unless forced on", () => {
    expect(parseAuthConfig(env({})).required).toBe(false);
    expect(() => parseAuthConfig(env({ CLUE_DESK_AUTH: "on" }))).toThrow(/no way to sign in/);
    const forced = parseAuthConfig(env({ CLUE_DESK_AUTH: "on", CLUE_DESK_USERS: `alice:${hash}`, NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "http://127.0.0.1:3000" }));
    expect(forced.required).toBe(true);
  });

  it("refuses a real tenant without any way to sign in, and says why", () => {
    expect(() => parseAuthConfig(env({ ...tenant, NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "https://x.example" }))).toThrow(
      /sign-in is required because a real Tanma tenant is configured.*CLUE_DESK_USERS.*OIDC_ISSUER/s,
    );
    expect(() => parseAuthConfig(env({ ...tenant, CLUE_DESK_USERS: `alice:${hash}`, NEXTAUTH_URL: "https://x.example" }))).toThrow(/NEXTAUTH_SECRET/);
    expect(() => parseAuthConfig(env({ ...tenant, CLUE_DESK_USERS: `alice:${hash}`, NEXTAUTH_SECRET: SECRET }))).toThrow(/NEXTAUTH_URL/);
    expect(() => parseAuthConfig(env({ ...tenant, CLUE_DESK_AUTH: "off" }))).toThrow(/cannot be turned off/);
    expect(() => parseAuthConfig(env({ ...tenant, CLUE_DESK_USERS: "alice:plaintext", NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "https://x.example" }))).toThrow(
      /not a scrypt hash/,
    );
    expect(() => parseAuthConfig(env({ ...tenant, OIDC_ISSUER: "https://idp.example", NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "https://x.example" }))).toThrow(
      /OIDC_CLIENT_ID/,
    );
  });

  it("accepts users and/or OIDC, with secure cookies over https", () => {
    const base = { ...tenant, NEXTAUTH_SECRET: SECRET };
    const users = parseAuthConfig(env({ ...base, CLUE_DESK_USERS: `alice:${hash}, bob:${hash}`, NEXTAUTH_URL: "https://clues.example" }));
    expect(users.required && [...users.users.keys()]).toEqual(["alice", "bob"]);
    expect(users.required && users.secureCookies).toBe(true);
    const oidc = parseAuthConfig(env({
      ...base,
      NEXTAUTH_URL: "http://127.0.0.1:3000",
      OIDC_ISSUER: "https://idp.example/realms/x/",
      OIDC_CLIENT_ID: "clue-desk",
      OIDC_CLIENT_SECRET: "s",
    }));
    expect(oidc.required && oidc.oidc).toMatchObject({ issuer: "https://idp.example/realms/x", name: "企业 SSO" });
    expect(oidc.required && oidc.secureCookies).toBe(false);
  });

  it("parses the user list strictly", () => {
    expect(() => parseUsers(`alice:${hash},alice:${hash}`)).toThrow(/twice/);
    expect(() => parseUsers(`al ice:${hash}`)).toThrow();
    expect(parseUsers("").size).toBe(0);
  });
});

describe("token bucket", () => {
  it("allows a burst, then the steady rate, and says when to retry", () => {
    let now = 0;
    const buckets = new TokenBuckets(20, 40, () => now);
    for (let i = 0; i < 40; i++) expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("a")).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take("b").ok).toBe(true); // per key
    now += 100; // 2 tokens back
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(false);
    const slow = new TokenBuckets(0.2, 1, () => now);
    expect(slow.take("x").ok).toBe(true);
    expect(slow.take("x")).toEqual({ ok: false, retryAfterSeconds: 5 });
  });
});

describe("the API gate in real-tenant mode", () => {
  // Every session below names a configured user: a session's user must still be allowed to sign in.
  const USERS = ["alice", "carol", "dave", "frank", ...Array.from({ length: 20 }, (_, i) => `erin${i}`)];
  const server = useRouteServer();
  const { session, simulator } = useRealTenant(USERS, { env: { API_RATE_LIMIT_RPS: "1", API_RATE_LIMIT_BURST: "3" } });
  afterEach(() => vi.restoreAllMocks());


  it("answers 401 without a session or with a forged one, and serves a signed-in user", async () => {
    const { GET } = await import("@/app/api/dictionary/route");
    const anonymous = await GET(new Request("http://localhost/api/dictionary"), undefined);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: expect.stringContaining("sign-in required") });
    const forged = await GET(new Request("http://localhost/api/dictionary", { headers: { cookie: await session("alice", "x".repeat(40)) } }), undefined);
    expect(forged.status).toBe(401);
    const ok = await GET(new Request("http://localhost/api/dictionary", { headers: { cookie: await session("alice") } }), undefined);
    expect(ok.status).toBe(200);
  });

  it("answers the health check without a session, and nothing else", async () => {
    const { GET } = await import("@/app/api/health/route");
    const health = await GET(new Request("http://localhost/api/health"), undefined);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", store: expect.stringMatching(/^(pglite|postgres)$/) });
  });

  it("never rate limits the health check, however often it is called without a session", async () => {
    const { GET } = await import("@/app/api/health/route");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await GET(new Request("http://localhost/api/health"), undefined)).status);
    expect(statuses).toEqual(Array.from({ length: 12 }, () => 200));
  });

  it("limits callers without a session per client address, not in one shared bucket, and never the health check", async () => {
    const flood = await Promise.all(Array.from({ length: 6 }, () => server().send("/api/dictionary", { localAddress: "127.0.0.90" })));
    expect(flood.map((r) => r.status).filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(flood.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    // Another address, and the load balancer's health check from the flooding one, are not held back.
    expect((await server().send("/api/dictionary", { localAddress: "127.0.0.91" })).status).toBe(401);
    for (let i = 0; i < 6; i++) expect((await server().send("/api/health", { localAddress: "127.0.0.90" })).status).toBe(200);
    // Nor is a signed-in user at the flooding address.
    expect((await server().send("/api/dictionary", { localAddress: "127.0.0.90", headers: { cookie: await session("frank") } })).status).toBe(200);
  });

  it("limits each user separately with 429 and Retry-After", async () => {
    const { GET } = await import("@/app/api/clues/[customerId]/route");
    const call = async (user: string) =>
      GET(new Request("http://localhost/api/clues/1", { headers: { cookie: await session(user) } }), { params: Promise.resolve({ customerId: "1" }) });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const response = await call("carol");
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited!.json()).toEqual({ error: expect.stringContaining("rate limited") });
    expect((await call("dave")).status).not.toBe(429);
  });

  it("names the signed-in user in the phone-reveal audit line", async () => {
    const { GET: list } = await import("@/app/api/clues/route");
    const { POST: reveal } = await import("@/app/api/clues/[customerId]/phones/route");
    const { addDays, chinaToday } = await import("@/lib/china-time");
    const today = chinaToday();
    const query = new URLSearchParams({ since: addDays(today, -6), before: addDays(today, 1), size: "1" });
    const page = await list(new Request(`http://localhost/api/clues?${query}`, { headers: { cookie: await session("frank") } }), undefined);
    const customerId = ((await page.json()) as { items: { customerId: string }[] }).items[0]!.customerId;
    const lines: string[] = [];
    vi.spyOn(console, "info").mockImplementation((line: string) => void lines.push(line));
    const response = await reveal(new Request(`http://localhost/api/clues/${customerId}/phones`, { method: "POST", headers: { cookie: await session("frank") } }), {
      params: Promise.resolve({ customerId }),
    });
    expect(response.status).toBe(200);
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.event === "audit_phone_reveal")).toMatchObject({ user: "frank", target: customerId });
  });

  it("only ever calls the fixed upstream paths, whatever the input", async () => {
    const { TANMA_PATHS } = await import("@/lib/tanma/schemas");
    const allowed = new Set(Object.values(TANMA_PATHS).map((p) => simulator().baseUrl + p));
    const seen: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return realFetch(input, init);
    });
    const { GET: getClue } = await import("@/app/api/clues/[customerId]/route");
    const { GET: getFollowUps } = await import("@/app/api/clues/[customerId]/follow-ups/route");
    const { GET: list } = await import("@/app/api/clues/route");
    // A fresh user per call keeps this test clear of the (deliberately tiny) rate limit of this block.
    let n = 0;
    const as = async () => ({ headers: { cookie: await session(`erin${n++}`) } });
    const hostile = ["../../evil", "1?x=y", "http://evil.example/", "1#frag", "%2e%2e%2fadmin", "1/../../x", "12345", "1"];
    for (const id of hostile) {
      const url = `http://localhost/api/clues/${encodeURIComponent(id)}`;
      await getClue(new Request(url, await as()), { params: Promise.resolve({ customerId: id }) });
      await getFollowUps(new Request(url, await as()), { params: Promise.resolve({ customerId: id }) });
    }
    await list(new Request("http://localhost/api/clues?since=../../x&path=/api/v3/evil", await as()), undefined);
    await list(new Request("http://localhost/api/clues", await as()), undefined);
    expect(seen.length).toBeGreaterThan(0);
    for (const url of seen) expect(allowed.has(url), url).toBe(true);
  });
});
