import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { addDays, chinaToday } from "@/lib/china-time";
import { isCrossOriginWrite } from "@/lib/security/same-origin";
import { useRealTenant } from "./support/real-tenant";

/**
 * Every state-changing API request is checked against the app's own origin in the one API gate: a page of
 * another origin (another port of the same host is the same site, so the `SameSite=Lax` cookie goes along)
 * cannot make a signed-in browser reveal phone numbers.
 */

const APP = "http://127.0.0.1:3000";
const tenant = useRealTenant(["victim"], { appUrl: () => APP });
let cookie: string;

beforeAll(async () => {
  cookie = await tenant.session("victim");
});
afterEach(() => vi.restoreAllMocks());

async function someCustomerId(): Promise<string> {
  const { GET } = await import("@/app/api/clues/route");
  const today = chinaToday();
  const query = new URLSearchParams({ since: addDays(today, -6), before: addDays(today, 1), size: "1" });
  const page = await GET(new Request(`${APP}/api/clues?${query}`, { headers: { cookie } }), undefined);
  return ((await page.json()) as { items: { customerId: string }[] }).items[0]!.customerId;
}

describe("POST /api/clues/{id}/phones", () => {
  it("refuses another origin with 403 before any upstream call or audit line, and serves its own", async () => {
    const { POST } = await import("@/app/api/clues/[customerId]/phones/route");
    const customerId = await someCustomerId();
    const reveal = (headers: Record<string, string>) =>
      POST(new Request(`${APP}/api/clues/${customerId}/phones`, { method: "POST", headers: { cookie, ...headers } }), {
        params: Promise.resolve({ customerId }),
      });
    const lines: string[] = [];
    vi.spyOn(console, "info").mockImplementation((line: string) => void lines.push(line));
    tenant.simulator().resetStats();
    for (const headers of <Record<string, string>[]>[
      { origin: "http://evil.example" },
      { origin: "http://127.0.0.1:4399" }, // same host, another port: same site, another origin
      { origin: "https://127.0.0.1:3000" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const response = await reveal(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toEqual({ error: expect.stringContaining("cross-origin request refused") });
    }
    expect(tenant.simulator().stats().requests).toBe(0);
    expect(lines.some((l) => l.includes("audit_phone_reveal"))).toBe(false);

    expect((await reveal({ origin: APP })).status).toBe(200);
    expect((await reveal({ "sec-fetch-site": "same-origin" })).status).toBe(200);
    // No Origin and no Sec-Fetch-Site: not a browser page, so not a forgery (curl, scripts).
    expect((await reveal({})).status).toBe(200);
  });

  it("applies to every state-changing method on any API path, and to no read", async () => {
    const catchAll = await import("@/app/api/[[...path]]/route");
    const context = { params: Promise.resolve({ path: ["sync"] }) };
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const response = await catchAll[method](new Request(`${APP}/api/sync`, { method, headers: { cookie, origin: "http://evil.example" } }), context);
      expect(response.status, method).toBe(403);
    }
    const read = await catchAll.GET(new Request(`${APP}/api/sync`, { headers: { cookie, origin: "http://evil.example" } }), context);
    expect(read.status).toBe(404);
  });
});

describe("the app's own origin", () => {
  it("is NEXTAUTH_URL's when set, else the request's Host", () => {
    const post = (headers: Record<string, string>) => new Request("http://internal:8080/api/x", { method: "POST", headers });
    expect(isCrossOriginWrite(post({ origin: "https://clues.example.com" }), "https://clues.example.com/")).toBe(false);
    expect(isCrossOriginWrite(post({ origin: "https://clues.example.com:8443" }), "https://clues.example.com")).toBe(true);
    expect(isCrossOriginWrite(post({ origin: "http://localhost:3000", host: "localhost:3000" }), undefined)).toBe(false);
    expect(isCrossOriginWrite(post({ origin: "http://localhost:3001", host: "localhost:3000" }), undefined)).toBe(true);
    expect(isCrossOriginWrite(post({ origin: "not a url", host: "localhost:3000" }), undefined)).toBe(true);
    expect(isCrossOriginWrite(new Request("http://x/api/x", { headers: { origin: "http://evil.example" } }), undefined)).toBe(false);
  });
});
