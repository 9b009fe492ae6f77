import { describe, expect, it } from "vitest";
import { clientAddress, parseTrustedProxies } from "@/lib/security/client-address";
import { peerAddressHeader, repairPercentEncoding } from "@/lib/security/front-door";
import { useRouteServer } from "./support/route-server";
import { useSimulator } from "./support/simulator";

/**
 * The front door (lib/security/front-door.ts) in front of the real route handlers, over real sockets: the
 * client's address is the socket's whatever headers say, malformed escapes and TRACE get 4xx, not 500.
 * Sign-in is off here, so the API's rate limit is per client address: the thing a forged header used to dodge.
 */
useSimulator({ API_RATE_LIMIT_RPS: "1", API_RATE_LIMIT_BURST: "5" });
const server = useRouteServer();

describe("the client's address", () => {
  it("is the socket's: rotating X-Forwarded-For values does not escape the per-client rate limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const reply = await server().send("/api/dictionary", { headers: { "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `198.51.100.${i}` } });
      statuses.push(reply.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    // Another address (another loopback source) has its own bucket.
    expect((await server().send("/api/dictionary", { localAddress: "127.0.0.2" })).status).toBe(200);
  });

  it("cannot be written by a client, not even under the front door's own header name", async () => {
    const name = peerAddressHeader()!;
    expect(name).toMatch(/^x-clue-desk-peer-[0-9a-f]{16}$/);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await server().send("/api/dictionary", { localAddress: "127.0.0.3", headers: { [name]: `192.0.2.${i}` } })).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
  });

  it("comes from X-Forwarded-For only through the proxies the operator trusts, read right to left", () => {
    const name = peerAddressHeader()!;
    const at = (peer: string, forwardedFor?: string) => new Headers({ [name]: peer, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) });
    const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8");
    expect(clientAddress(at("203.0.113.9", "1.1.1.1"), undefined)).toBe("203.0.113.9");
    expect(clientAddress(at("::ffff:203.0.113.9"), undefined)).toBe("203.0.113.9");
    expect(clientAddress(at("10.0.0.2", "6.6.6.6, 198.51.100.7"), proxies)).toBe("198.51.100.7");
    expect(clientAddress(at("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.1.1"), proxies)).toBe("198.51.100.7");
    expect(clientAddress(at("::ffff:10.0.0.2", "198.51.100.8:5555"), proxies)).toBe("198.51.100.8");
    expect(clientAddress(at("fd00::1", "[2001:db8::5]:443"), proxies)).toBe("2001:db8::5");
    // A peer that is not a trusted proxy is the client, whatever it claims to forward.
    expect(clientAddress(at("198.51.100.1", "10.0.0.5, 6.6.6.6"), proxies)).toBe("198.51.100.1");
    // Only trusted hops: the furthest one is as far as the chain can be believed.
    expect(clientAddress(at("10.0.0.2", "10.0.0.3"), proxies)).toBe("10.0.0.3");
    expect(clientAddress(at("10.0.0.2"), proxies)).toBe("10.0.0.2");
    // Without the front door (no peer header) there is no address to believe.
    expect(clientAddress(new Headers({ "x-forwarded-for": "1.2.3.4" }), proxies)).toBeUndefined();
  });

  it("reads TRUSTED_PROXIES strictly", () => {
    expect(parseTrustedProxies(undefined)).toBeUndefined();
    expect(parseTrustedProxies(" ")).toBeUndefined();
    expect(parseTrustedProxies("::1, 10.0.0.0/8,192.168.1.10")).toBeDefined();
    for (const bad of ["10.0.0.0/33", "localhost", "1.2.3.4/8/1", "::1/129", "10.0.0.0/x"]) {
      expect(() => parseTrustedProxies(bad), bad).toThrow(/TRUSTED_PROXIES/);
    }
  });
});

describe("paths and methods Next.js's router fails on", () => {
  it("makes malformed percent-escapes literal, leaving well-formed paths and queries alone", () => {
    expect(repairPercentEncoding("/api/clues/%E0%A4%A")).toBe("/api/clues/%25E0%25A4%25A");
    expect(repairPercentEncoding("/api/clues/%ff/follow-ups")).toBe("/api/clues/%25ff/follow-ups");
    expect(repairPercentEncoding("/companies/%E4%B8%AD%zz?x=%ff")).toBe("/companies/%E4%B8%AD%25zz?x=%ff");
    expect(repairPercentEncoding("/clues/%E4%B8%AD?since=%ff")).toBe("/clues/%E4%B8%AD?since=%ff");
    expect(repairPercentEncoding("/api/x/100%")).toBe("/api/x/100%25");
  });

  it.each([
    ["/api/clues/%E0%A4%A", 400, /customer id/],
    ["/api/clues/%ff/follow-ups", 400, /customer id/],
    ["/api/clues/%ff/phones", 400, /customer id/],
    ["/api/x/%ff", 404, /no such API endpoint/],
    ["/api/%C0%AF", 404, /no such API endpoint/],
  ])("answers %s with a JSON %i from the app's own route, not a 500", async (path, status, message) => {
    const method = path.endsWith("/phones") ? "POST" : "GET";
    // From an address of its own, clear of the rate limit the tests above used up.
    const reply = await server().send(path, { method, localAddress: "127.0.0.9" });
    expect(reply.status).toBe(status);
    expect((JSON.parse(reply.body) as { error: string }).error).toMatch(message);
  });

  it("answers TRACE and other methods Next.js does not route with a JSON 405 and the security headers", async () => {
    for (const [method, path] of [
      ["TRACE", "/api/dictionary"],
      ["TRACE", "/clues"],
      ["TRACE", "/api/auth/session"],
      ["PROPFIND", "/api/clues/1"],
      ["MKCOL", "/login"],
    ]) {
      const reply = await server().send(path!, { method });
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(JSON.parse(reply.body)).toEqual({ error: expect.stringContaining("method not allowed") });
      expect(reply.headers["content-type"]).toBe("application/json");
      expect(reply.headers["x-content-type-options"]).toBe("nosniff");
      expect(reply.headers["content-security-policy"]).toContain("default-src 'none'");
    }
  });

  it("takes writes only under /api/, however the path is spelled; pages and static files are read", async () => {
    for (const [method, path] of [
      ["POST", "/login"],
      ["POST", "/favicon.ico"],
      ["DELETE", "/clues/1"],
      ["PUT", "/api/../clues"],
      ["POST", "/api/%2e%2e/login"],
      ["OPTIONS", "/clues"],
    ]) {
      const reply = await server().send(path!, { method, headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x--", localAddress: "127.0.0.11" });
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(reply.headers.allow).toBe("GET, HEAD");
    }
    const api = await server().send("/api/no-such-endpoint", { method: "POST", localAddress: "127.0.0.11" });
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body)).toEqual({ error: expect.stringContaining("no such API endpoint") });
  });
});
