import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { GET as getClue } from "@/app/api/clues/[customerId]/route";
import { GET as getFollowUps } from "@/app/api/clues/[customerId]/follow-ups/route";
import { addDays, chinaToday } from "@/lib/china-time";
import { controlText } from "./support/fuzz-requests";
import { useSimulator } from "./support/simulator";

/**
 * Whatever a user or a script types into a URL, the API answers with a 2xx or a 4xx, never a 5xx, and no
 * request that Tanma would reject as invalid (the 404xx family, a bad signature) ever leaves the server. The
 * handlers are called directly here; tests/http.property.test.ts sends arbitrary requests over sockets.
 */
const simulator = useSimulator();

const today = chinaToday();
const RUNS = 150;

const dayish = fc.oneof(
  fc.constantFrom(today, addDays(today, -6), addDays(today, 1), "2024-02-29", "2023-02-29", "2024-13-01", "0000-00-00"),
  fc.date({ min: new Date("2020-01-01"), max: new Date("2027-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.date({ min: new Date("2020-01-01"), max: new Date("2027-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19).replace("T", " ")),
  fc.string(),
);
// Control characters inside values (NUL made the store's query fail with a 500), and keys of Object.prototype.
const queryValue = fc.oneof(dayish, fc.integer().map(String), fc.constantFrom("", "1", "2", "0", "-1", "100", "101", "1e2", " 5"), fc.string(), controlText);
const queryKey = fc.oneof(
  fc.constantFrom("since", "before", "type", "size", "cursor", "companyId", "q", "tag", "status", "customer_stage", "__proto__", "constructor"),
  fc.string({ maxLength: 8 }),
);
// A valid range often, so that the other parameters reach the store's query rather than stop at the dates.
const validRange = fc.constant([["since", addDays(today, -6)], ["before", addDays(today, 1)]] as [string, string][]);
const query = fc.oneof(
  fc.array(fc.tuple(queryKey, queryValue), { maxLength: 7 }),
  fc
    .tuple(validRange, fc.array(fc.tuple(fc.constantFrom("q", "tag", "customer_stage", "status", "size", "__proto__"), fc.oneof(controlText, queryValue)), { maxLength: 3 }))
    .map(([range, rest]) => [...range, ...rest]),
);
const id = fc.oneof(fc.string(), fc.stringMatching(/^\d{1,20}$/), fc.integer().map(String), fc.constantFrom("100000000000001", "-1", "1e5", "0x10"));

function expectNoUpstreamRejections() {
  const { rejected } = simulator().stats();
  // 40404 is "no such clue", an answer to a well-formed request; every other 404xx means we sent a bad one.
  const invalid = Object.keys(rejected).filter((code) => code.startsWith("404") && code !== "40404");
  expect(invalid, JSON.stringify(rejected)).toEqual([]);
  expect(rejected["1002"] ?? 0).toBe(0);
}

describe("arbitrary input", () => {
  it("never makes /api/clues answer 5xx, nor sends Tanma an invalid request", async () => {
    simulator().resetStats();
    await fc.assert(
      fc.asyncProperty(query, async (pairs) => {
        const search = new URLSearchParams(pairs).toString();
        const response = await getClueList(new Request(`http://localhost/api/clues?${search}`), undefined);
        expect(response.status, `${response.status} for ?${search}`).toBeLessThan(500);
        const body = (await response.json()) as { error?: string };
        if (response.status >= 400) expect(body.error).toEqual(expect.any(String));
      }),
      { numRuns: RUNS },
    );
    expectNoUpstreamRejections();
  });

  it("never makes a clue or follow-up route answer 5xx", async () => {
    simulator().resetStats();
    await fc.assert(
      fc.asyncProperty(id, fc.option(fc.string(), { nil: undefined }), async (customerId, cursor) => {
        const context = { params: Promise.resolve({ customerId }) };
        const detail = await getClue(new Request("http://localhost/api/clues/x"), context);
        expect(detail.status, `detail ${JSON.stringify(customerId)}`).toBeLessThan(500);
        const search = cursor === undefined ? "" : `?${new URLSearchParams({ cursor })}`;
        const followUps = await getFollowUps(new Request(`http://localhost/api/clues/x/follow-ups${search}`), context);
        expect(followUps.status, `follow-ups ${JSON.stringify([customerId, cursor])}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    expectNoUpstreamRejections();
  });
});
