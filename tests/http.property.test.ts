import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaToday } from "@/lib/china-time";
import { fuzzRequest, isApiPath } from "./support/fuzz-requests";
import { useRealTenant } from "./support/real-tenant";
import { useRouteServer } from "./support/route-server";

/**
 * Arbitrary requests over real sockets, in real-tenant mode (sign-in on): every API and Auth.js route, every
 * method, malformed percent-escapes in paths and queries, bodies of any content type, valid, forged and
 * garbage cookies, foreign origins. None may answer 5xx; the API's errors are its JSON; and nothing Tanma
 * would call invalid leaves the server. `npm run fuzz` (scripts/fuzz.ts) runs the same against a production
 * build, at length.
 */

const RUNS = 400;
const server = useRouteServer();
const tenant = useRealTenant(["fuzzer"], { appUrl: () => server().origin });
let sessionCookie = "";

beforeAll(async () => {
  sessionCookie = await tenant.session("fuzzer");
});

describe("any request over HTTP", () => {
  it("never gets a 5xx, and the API's refusals are its JSON errors", async () => {
    const today = chinaToday();
    const first = await server().send(`/api/clues?since=${addDays(today, -6)}&before=${addDays(today, 1)}&size=5`, { headers: { cookie: sessionCookie } });
    const cursors = [(JSON.parse(first.body) as { nextCursor: string }).nextCursor];
    const statuses = new Map<number, number>();
    tenant.simulator().resetStats();
    await fc.assert(
      fc.asyncProperty(fuzzRequest({ sessionCookie, selfOrigin: server().origin, cursors, pages: false }), async (request) => {
        const reply = await server().send(request.path, request);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        const what = `${request.method} ${request.path} → ${reply.status}`;
        expect(reply.status, what).toBeLessThan(500);
        if (isApiPath(request.path) && request.method !== "HEAD" && reply.status >= 400 && reply.status !== 405) {
          let body: { error?: unknown };
          try {
            body = JSON.parse(reply.body) as { error?: unknown };
          } catch {
            throw new Error(`${what}: the error answer is not JSON: ${reply.body.slice(0, 80)}`);
          }
          expect(body.error, what).toEqual(expect.any(String));
        }
      }),
      { numRuns: RUNS },
    );
    // The run reached the handlers, not only the gates.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 403, 404]));
    const invalid = Object.keys(tenant.simulator().stats().rejected).filter((code) => code.startsWith("404") && code !== "40404");
    expect(invalid, JSON.stringify(tenant.simulator().stats().rejected)).toEqual([]);
  });
});
