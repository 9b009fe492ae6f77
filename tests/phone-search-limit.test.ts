import { beforeAll, describe, expect, it } from "vitest";
import { detailParts } from "@/app/audit/audit-columns";
import type { AuditListResponse } from "@/lib/audit/schema";
import { addDays, chinaToday } from "@/lib/china-time";
import { copy } from "@/lib/copy";
import { useRealTenant } from "./support/real-tenant";

/**
 * A whole mobile number in `q` finds its lead, so trying numbers is a way to learn a masked number's hidden
 * digits. Each user may search a few distinct whole numbers per 10 minutes (here 4), then gets 429 with
 * Retry-After, on the list, its facets and its export alike; each distinct number is in the audit trail,
 * hashed, never in clear.
 */

const ADMIN = "alice";
const PROBER = "mallory";
const OTHER = "bob";
const LIMIT = 4;
const tenant = useRealTenant([ADMIN, PROBER, OTHER], { env: { CLUE_DESK_ADMINS: ADMIN, PHONE_SEARCH_LIMIT: String(LIMIT) } });
const cookies = new Map<string, string>();

beforeAll(async () => {
  for (const user of [ADMIN, PROBER, OTHER]) cookies.set(user, await tenant.session(user));
});

const today = chinaToday();
const range = { since: addDays(today, -2), before: addDays(today, 1) };
const url = (path: string, query: Record<string, string>) => `http://localhost${path}?${new URLSearchParams(query)}`;
const as = (user: string): RequestInit => ({ headers: { cookie: cookies.get(user)! } });

async function search(user: string, q: string, route: "list" | "facets" | "export" = "list"): Promise<Response> {
  if (route === "facets") return (await import("@/app/api/clues/facets/route")).GET(new Request(url("/api/clues/facets", { ...range, q }), as(user)), undefined);
  if (route === "export") return (await import("@/app/api/clues/export/route")).GET(new Request(url("/api/clues/export", { ...range, q, format: "csv" }), as(user)), undefined);
  return (await import("@/app/api/clues/route")).GET(new Request(url("/api/clues", { ...range, q, size: "10" }), as(user)), undefined);
}

async function phoneSearchEvents(actor: string): Promise<AuditListResponse["events"]> {
  const { GET } = await import("@/app/api/audit/route");
  const response = await GET(new Request(url("/api/audit", { actor, action: "phone_search", size: "100" }), as(ADMIN)), undefined);
  expect(response.status).toBe(200);
  return ((await response.json()) as AuditListResponse).events;
}

const numbers = Array.from({ length: LIMIT + 1 }, (_, i) => `1395847${String(1000 + i)}`);

describe("whole-number searches", () => {
  it("admits a few distinct numbers per user, then answers 429 with Retry-After on the list, facets and export", async () => {
    for (const number of numbers.slice(0, LIMIT)) expect((await search(PROBER, number)).status).toBe(200);
    // The same numbers again (the next page, the facets, another spelling) are not new searches.
    expect((await search(PROBER, numbers[0]!, "facets")).status).toBe(200);
    expect((await search(PROBER, `+86 ${numbers[1]!.slice(0, 3)}-${numbers[1]!.slice(3, 7)}-${numbers[1]!.slice(7)}`)).status).toBe(200);
    expect((await search(PROBER, numbers[2]!, "export")).status).toBe(200);

    for (const route of ["list", "facets", "export"] as const) {
      const refused = await search(PROBER, numbers[LIMIT]!, route);
      expect(refused.status, route).toBe(429);
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(((await refused.json()) as { error: string }).error).toMatch(/整号搜索/);
    }
    // Text and partial digits are no whole number: still answered.
    expect((await search(PROBER, "王")).status).toBe(200);
    expect((await search(PROBER, numbers[LIMIT]!.slice(-6))).status).toBe(200);
    // Another user has a limit of their own.
    expect((await search(OTHER, numbers[LIMIT]!)).status).toBe(200);
  });

  it("records each distinct number once, hashed with the server secret, never in clear", async () => {
    const events = await phoneSearchEvents(PROBER);
    expect(events).toHaveLength(LIMIT);
    const hashes = events.map((e) => e.detail.number);
    expect(new Set(hashes).size).toBe(LIMIT);
    for (const [i, event] of [...events].reverse().entries()) {
      const number = numbers[i]!;
      expect(event.detail).toEqual({ number: expect.stringMatching(/^[0-9a-f]{32}$/), q: `${number.slice(0, 3)}****${number.slice(-4)}` });
      expect(JSON.stringify(event)).not.toContain(number);
    }
    expect(await phoneSearchEvents(OTHER)).toHaveLength(1);
  });

  it("shows on the 审计日志 page under its own label, the number masked and its hash shortened", () => {
    expect(copy.audit.actions.phone_search).toBe("整号搜索");
    const parts = detailParts({ q: "139****1000", number: "ab".repeat(32) }).map((p) => p.text);
    expect(parts).toEqual(["号码 139****1000", "指纹 abababababab…"]);
  });
});
