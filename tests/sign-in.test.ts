import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_CALLBACK_PATH, safeCallbackPath } from "@/lib/auth/callback-url";
import { hashPassword } from "@/lib/auth/password";
import { SignInThrottle } from "@/lib/auth/sign-in-locks";
import { startSimulator } from "@/simulator/server";
import { type Reply, useRouteServer } from "./support/route-server";

/**
 * Auth.js's endpoints in real-tenant mode, over real sockets behind the front door: where the browser goes
 * after sign-in, the sign-in throttle, sessions of users no longer allowed, the closed `_log` sink, and the
 * inputs that used to make Auth.js answer 500.
 */

const SECRET = "sign-in-test-secret-0123456789-abcdefghij";
const PASSWORDS = { alice: "pw-alice-7731", bob: "pw-bob-2294" };
const server = useRouteServer();
let simulator: Awaited<ReturnType<typeof startSimulator>>;
let hashes: Record<keyof typeof PASSWORDS, string>;

const usersEnv = (names: (keyof typeof PASSWORDS)[]) => names.map((n) => `${n}:${hashes[n]}`).join(",");

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, credentials: { appId: "tenant-id", appKey: "tenant-key" } });
  hashes = { alice: await hashPassword(PASSWORDS.alice), bob: await hashPassword(PASSWORDS.bob) };
  vi.stubEnv("TANMA_APP_ID", "tenant-id");
  vi.stubEnv("TANMA_APP_KEY", "tenant-key");
  vi.stubEnv("TANMA_BASE_URL", simulator.baseUrl);
  vi.stubEnv("CLUE_DESK_USERS", usersEnv(["alice", "bob"]));
  vi.stubEnv("NEXTAUTH_SECRET", SECRET);
  vi.stubEnv("NEXTAUTH_URL", server().origin);
  vi.stubEnv("SIGN_IN_FREE_FAILURES", "3");
  vi.stubEnv("SIGN_IN_FREE_FAILURES_PER_CLIENT", "6");
  vi.stubEnv("SIGN_IN_MAX_LOCK_SECONDS", "4");
  vi.stubEnv("SIGN_IN_CONCURRENCY", "1");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await simulator?.close();
});
afterEach(() => vi.restoreAllMocks());

/** Every console line written during `run`, as text. */
async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  for (const level of ["info", "warn", "error", "log", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  }
  try {
    return { result: await run(), lines };
  } finally {
    vi.restoreAllMocks();
  }
}

const cookieHeader = (reply: Reply) =>
  [reply.headers["set-cookie"] ?? []]
    .flat()
    .map((c) => c.split(";")[0]!)
    .join("; ");

/** The CSRF pair Auth.js wants with every sign-in POST (double submit: cookie and form field). */
async function csrf(localAddress?: string): Promise<{ token: string; cookie: string }> {
  const reply = await server().send("/api/auth/csrf", { localAddress });
  return { token: (JSON.parse(reply.body) as { csrfToken: string }).csrfToken, cookie: cookieHeader(reply) };
}

/** What the login page's `signIn("credentials", { redirect: false })` sends. */
async function signIn(username: string, password: string, { localAddress = "127.0.0.1", callbackUrl = "/clues" } = {}) {
  const { token, cookie } = await csrf(localAddress);
  const body = new URLSearchParams({ username, password, csrfToken: token, callbackUrl, json: "true" }).toString();
  const reply = await server().send("/api/auth/callback/credentials", {
    method: "POST",
    localAddress,
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body,
  });
  const json = JSON.parse(reply.body) as { url?: string; error?: string };
  return { reply, json, session: cookieHeader(reply).split("; ").find((c) => c.startsWith("next-auth.session-token=")) };
}

describe("after sign-in", () => {
  it("the browser is sent only to a path on the app's own origin, decided on the parsed URL", () => {
    const app = "https://clues.example.com";
    for (const hostile of ["/\t/evil.example", "/%09/evil.example".replace("%09", "\t"), "/\\evil.example", "/\t\\evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)", "/\n/evil.example", ""]) {
      expect(safeCallbackPath(hostile, app), JSON.stringify(hostile)).toBe(DEFAULT_CALLBACK_PATH);
    }
    expect(safeCallbackPath("/clues?type=2#x", app)).toBe("/clues?type=2#x");
    expect(safeCallbackPath("/clues/../companies/1", app)).toBe("/companies/1");
    expect(safeCallbackPath("/clues?next=//evil.example", app)).toBe("/clues?next=//evil.example");
  });

  it("dot segments, escapes and our own origin cannot turn a callbackUrl into //evil.example", () => {
    const app = "https://clues.example.com";
    const hostile = [
      "/.//evil.example",
      "/..//evil.example",
      "/x/..//evil.example",
      "/x/y/../..//evil.example",
      "/%2e//evil.example",
      "/%2E%2E//evil.example",
      "/.%2e//evil.example",
      "/x/%2e%2e//evil.example",
      "/./\\evil.example",
      "/.\\/evil.example",
      "\\\\evil.example",
      "/%2f/evil.example",
      "/%2F%2Fevil.example",
      "/%5c/evil.example",
      "/%5Cevil.example",
      "/.%2f/evil.example",
      "https://clues.example.com//evil.example",
      "https://clues.example.com/.//evil.example",
      "https://clues.example.com/..//evil.example",
      "https://clues.example.com/\\evil.example",
      "https://clues.example.com/%2e//evil.example",
    ];
    for (const value of hostile) {
      const path = safeCallbackPath(value, app);
      expect(path, JSON.stringify(value)).toBe(DEFAULT_CALLBACK_PATH);
      // What a browser makes of the answer: a page on the app's origin.
      expect(new URL(path, app).origin, JSON.stringify(value)).toBe(app);
    }
    // A single slash after the dot segments resolve is an ordinary path of ours.
    expect(safeCallbackPath("/..\\evil.example", app)).toBe("/evil.example");
    expect(safeCallbackPath("https://clues.example.com/companies/1?name=a", app)).toBe("/companies/1?name=a");
    expect(safeCallbackPath(undefined, app)).toBe(DEFAULT_CALLBACK_PATH);
  });

  it("Auth.js's own redirect after a sign-in with a hostile callbackUrl stays on the app's origin", async () => {
    const { json, session } = await signIn("alice", PASSWORDS.alice, { localAddress: "127.0.0.20", callbackUrl: "/\t/evil.example" });
    expect(session).toBeDefined();
    expect(new URL(json.url!).origin).toBe(server().origin);
    expect(new URL(json.url!).pathname).toBe(DEFAULT_CALLBACK_PATH);
  });
});

describe("the sign-in throttle", () => {
  it("logs each failure with user name and client address, never the password", async () => {
    const { result, lines } = await captureLogs(() => signIn("alice", "hunter2-not-it", { localAddress: "127.0.0.30" }));
    expect(new URL(result.json.url!).searchParams.get("error")).toBe("CredentialsSignin");
    expect(result.session).toBeUndefined();
    const failure = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "audit_sign_in_failed");
    expect(failure).toMatchObject({ user: "alice", client: "127.0.0.30" });
    expect(lines.join("\n")).not.toContain("hunter2");
    // A name that is no valid user name is not written into the log at all.
    const odd = await captureLogs(() => signIn('{"event":"audit_phone_reveal"}', "x", { localAddress: "127.0.0.31" }));
    expect(odd.lines.join("\n")).not.toContain("audit_phone_reveal");
    expect(odd.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "audit_sign_in_failed")).toMatchObject({ user: null });
    expect((await signIn("alice", PASSWORDS.alice, { localAddress: "127.0.0.30" })).session).toBeDefined();
  });

  it("locks a user name after its free failures with growing Retry-After, refusing even the right password", async () => {
    for (let i = 0; i < 3; i++) expect((await signIn("bob", `wrong-${i}`, { localAddress: "127.0.0.40" })).reply.status).toBe(200);
    // The 4th failure locks bob for 1 s, from any client, and says so in its log line.
    const fourth = await captureLogs(() => signIn("bob", "wrong-3", { localAddress: "127.0.0.40" }));
    expect(fourth.result.json.url).toContain("error=CredentialsSignin");
    expect(fourth.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "audit_sign_in_failed")).toMatchObject({ user: "bob", lockedSeconds: 1 });
    const locked = await signIn("bob", PASSWORDS.bob, { localAddress: "127.0.0.41" });
    expect(locked.reply.status).toBe(429);
    expect(locked.reply.headers["retry-after"]).toBe("1");
    expect(locked.session).toBeUndefined();
    expect(new URL(locked.json.url!).searchParams.get("error")).toBe("SignInThrottled");
    // Other users are not affected.
    expect((await signIn("alice", PASSWORDS.alice, { localAddress: "127.0.0.42" })).session).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The next failure locks for 2 s, then 4 s (the configured maximum).
    await signIn("bob", "wrong-4", { localAddress: "127.0.0.40" });
    expect((await signIn("bob", PASSWORDS.bob, { localAddress: "127.0.0.40" })).reply.headers["retry-after"]).toBe("2");
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await signIn("bob", PASSWORDS.bob, { localAddress: "127.0.0.40" })).session).toBeDefined();
    // A success cleared bob's count: a wrong password is an ordinary failure again.
    expect((await signIn("bob", "wrong-5", { localAddress: "127.0.0.40" })).reply.status).toBe(200);
  });

  it("locks a client after its free failures across user names", async () => {
    for (let i = 0; i < 7; i++) await signIn(`nobody${i}`, "guess", { localAddress: "127.0.0.50" });
    const locked = await signIn("alice", PASSWORDS.alice, { localAddress: "127.0.0.50" });
    expect(locked.reply.status).toBe(429);
    expect(Number(locked.reply.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect((await signIn("alice", PASSWORDS.alice, { localAddress: "127.0.0.51" })).session).toBeDefined();
  });

  it("grows each lock to twice the last, up to the maximum", () => {
    let now = 0;
    const throttle = new SignInThrottle({ freeFailuresPerUser: 2, freeFailuresPerClient: 100, maxLockSeconds: 8 }, () => now);
    const locks: number[] = [];
    for (let i = 0; i < 7; i++) {
      const locked = throttle.recordFailure("u", "c");
      expect(throttle.retryAfterSeconds("u", "c")).toBe(locked);
      locks.push(locked);
      now += 60_000;
    }
    expect(locks).toEqual([0, 0, 1, 2, 4, 8, 8]);
    throttle.recordSuccess("u", "c");
    expect(throttle.retryAfterSeconds("u", "c")).toBe(0);
  });

  it("runs one password check at a time and refuses a flood instead of queueing it", async () => {
    const { token, cookie } = await csrf();
    const attempt = (i: number) =>
      server().send("/api/auth/callback/credentials", {
        method: "POST",
        localAddress: `127.0.1.${i + 1}`,
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ username: `flood${i}`, password: "x", csrfToken: token, json: "true" }).toString(),
      });
    const started = performance.now();
    const flood = Promise.all(Array.from({ length: 40 }, (_, i) => attempt(i)));
    // The rest of the server stays responsive meanwhile.
    const csrfDuringFlood = performance.now();
    expect((await server().send("/api/auth/csrf")).status).toBe(200);
    expect(performance.now() - csrfDuringFlood).toBeLessThan(1000);
    const replies = await flood;
    const refused = replies.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(20);
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(8);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe("inputs Auth.js used to answer with 500", () => {
  it.each([
    ["a JSON content type with a body that is not JSON", "/api/auth/callback/credentials", { method: "POST", headers: { "content-type": "application/json" }, body: "not json" }, 400],
    ["an unparsable callbackUrl on sign-in", "/api/auth/signin?callbackUrl=1", { method: "POST" }, 302],
    ["a non-Latin-1 error code", "/api/auth/error?error=%E7%BA%BF", {}, 302],
    ["a hostile callback-url cookie", "/api/auth/session", { headers: { cookie: "next-auth.callback-url=%%%; next-auth.csrf-token=%E7%BA%BF" } }, 200],
    ["an oversized body", "/api/auth/callback/credentials", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `username=${"a".repeat(40_000)}` }, 413],
    ["JSON that is not an object", "/api/auth/callback/credentials", { method: "POST", headers: { "content-type": "application/json" }, body: "[1,2]" }, 302],
  ] as const)("%s is a 4xx or a redirect", async (_what, path, options, status) => {
    const reply = await server().send(path, { ...options, localAddress: "127.0.0.60" });
    expect(reply.status).toBe(status);
    if (status === 302) expect(new URL(String(reply.headers.location), server().origin).origin).toBe(server().origin);
  });

  it("refuses a chunked sign-in body over the cap with 413 as soon as it passes the cap, without reading the rest", async () => {
    const totalBytes = 64 * 1024 * 1024;
    const started = performance.now();
    const reply = await server().streamBody("/api/auth/callback/credentials", {
      totalBytes,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      localAddress: "127.0.0.61",
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.stringContaining("request body too large") });
    // Answered while most of the body was still to come: the server did not wait for (or hold) all of it.
    expect(reply.sentBytes).toBeLessThan(totalBytes / 4);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("closes _log: nothing a client posts there reaches the server log", async () => {
    const forged = JSON.stringify({ level: "error", code: `{"event":"audit_phone_reveal","user":"ceo"}`, metadata: "x".repeat(20_000) });
    const { result, lines } = await captureLogs(() =>
      server().send("/api/auth/_log", { method: "POST", headers: { "content-type": "application/json" }, body: forged }),
    );
    expect(result.status).toBe(404);
    expect(lines.join("\n")).not.toContain("audit_phone_reveal");
    expect(lines.join("\n")).not.toContain("xxxxxxxxxx");
  });
});

describe("a session whose user is no longer allowed", () => {
  it("stops working at once for the API and for Auth.js's renewal, when the user is removed or the password changes", async () => {
    const alice = await signIn("alice", PASSWORDS.alice, { localAddress: "127.0.0.70" });
    const bob = await signIn("bob", PASSWORDS.bob, { localAddress: "127.0.0.71" });
    for (const session of [alice.session!, bob.session!]) {
      expect((await server().send("/api/dictionary", { headers: { cookie: session } })).status).toBe(200);
      const renewed = await server().send("/api/auth/session", { headers: { cookie: session } });
      expect(JSON.parse(renewed.body)).toMatchObject({ user: { name: expect.any(String) } });
    }

    // The server restarts with alice removed and bob's password changed.
    vi.stubEnv("CLUE_DESK_USERS", `bob:${await hashPassword("bob-new-password")}`);
    vi.resetModules();
    try {
      for (const session of [alice.session!, bob.session!]) {
        const api = await server().send("/api/dictionary", { headers: { cookie: session } });
        expect(api.status).toBe(401);
        const renewal = await server().send("/api/auth/session", { headers: { cookie: session } });
        expect(JSON.parse(renewal.body)).toEqual({});
        // Auth.js clears the cookie instead of renewing it for another 12 hours.
        const cleared = [renewal.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("next-auth.session-token="));
        expect(cleared).toMatch(/^next-auth\.session-token=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/);
      }
    } finally {
      vi.stubEnv("CLUE_DESK_USERS", usersEnv(["alice", "bob"]));
      vi.resetModules();
    }
  });
});
