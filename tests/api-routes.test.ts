import { describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { GET as getClue } from "@/app/api/clues/[customerId]/route";
import { GET as getFollowUps } from "@/app/api/clues/[customerId]/follow-ups/route";
import { GET as getDictionary } from "@/app/api/dictionary/route";
import { GET as getUnknownApiPath, POST as postUnknownApiPath } from "@/app/api/[[...path]]/route";
import { GET as getAudit } from "@/app/api/audit/route";
import { GET as getAuditActors } from "@/app/api/audit/actors/route";
import { GET as getAuditExport } from "@/app/api/audit/export/route";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueDetail, ClueItem, ClueListResponse, Dictionary, FollowUpListResponse } from "@/lib/clues/schema";
import { maskPhone } from "@/lib/clues/phone";
import { TANMA_PATHS, type UpstreamClue, upstreamCluePageSchema } from "@/lib/tanma/schemas";
import { SIMULATOR_APP_KEY } from "@/lib/tanma/simulator-defaults";
import { callTanmaDirectly, useSimulator } from "./support/simulator";

/** The route handlers, called directly (no Next server) against a real simulator. */
const simulator = useSimulator({ TANMA_TIMEOUT_MS: "1000" });

const today = chinaToday();
const week = { since: addDays(today, -6), before: addDays(today, 1) };

function listRequest(query: Record<string, string | number>) {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return getClueList(new Request(`http://localhost/api/clues?${params}`), undefined);
}

const withId = (customerId: string) => ({ params: Promise.resolve({ customerId }) });

async function walk(query: Record<string, string | number>): Promise<{ items: ClueItem[]; calls: number }> {
  const items: ClueItem[] = [];
  let cursor: string | null = null;
  let calls = 0;
  do {
    const response = await listRequest(cursor ? { ...query, cursor } : query);
    expect(response.status).toBe(200);
    const page = (await response.json()) as ClueListResponse;
    items.push(...page.items);
    cursor = page.nextCursor;
    calls++;
  } while (cursor !== null && calls < 10_000);
  return { items, calls };
}

/** Every clue of a range by customer id, in order, read straight from the simulator with its own paging. */
async function directClues(query: { since: string; before: string; type?: number }): Promise<Map<string, UpstreamClue>> {
  const clues = new Map<string, UpstreamClue>();
  let cursor: string | undefined;
  for (;;) {
    const body = { since: `${query.since} 00:00:00`, before: `${query.before} 00:00:00`, size: 100, ...(query.type ? { type: query.type } : {}), ...(cursor ? { cursor } : {}) };
    const { code, data: raw } = await callTanmaDirectly(simulator().baseUrl, TANMA_PATHS.clueList, body);
    expect(code).toBe(0);
    const data = upstreamCluePageSchema.parse(raw);
    for (const clue of data.list) clues.set(String(clue.customerId), clue);
    if (!data.nextCursor || data.list.length === 0) return clues;
    cursor = data.nextCursor;
  }
}

const directIds = async (query: { since: string; before: string; type?: number }) => [...(await directClues(query)).keys()];

describe("GET /api/clues", () => {
  it("walks a week page by page oldest first: every record exactly once, ascending, as Tanma has them", async () => {
    const { items, calls } = await walk({ ...week, size: 37, order: "asc" });
    const ids = items.map((c) => c.customerId);
    expect(items.length).toBeGreaterThan(100);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await directIds(week));
    for (let i = 1; i < items.length; i++) expect(items[i]!.createTime >= items[i - 1]!.createTime).toBe(true);
    expect(items[0]!.createTime >= `${week.since} 00:00:00`).toBe(true);
    expect(items.at(-1)!.createTime < `${week.before} 00:00:00`).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(items.length / 37));
  });

  it("decodes fields: phones as arrays, select ids as labels; tags and companies resolved", async () => {
    const { items } = await walk({ ...week });
    const upstream = await directClues(week);
    const mobiles = items.flatMap((c) => c.fields.filter((f) => f.key === "mobile" && f.values.length > 0));
    expect(mobiles.length).toBeGreaterThan(0);
    for (const item of items) {
      const sent = upstream.get(item.customerId)!.fields.find((f) => f.field === "mobile")?.valueAsText;
      const numbers = sent ? (JSON.parse(sent) as string[]) : [];
      expect(item.fields.find((f) => f.key === "mobile")?.values ?? []).toEqual(numbers.map(maskPhone));
    }
    const stages = items.flatMap((c) => c.fields.filter((f) => f.key === "customer_stage" && f.values.length > 0));
    expect(stages.some((f) => f.labels?.[0] !== f.values[0] && /[\u4e00-\u9fa5]/.test(f.labels?.[0] ?? ""))).toBe(true);
    const fields = items.flatMap((c) => c.fields);
    expect(fields.filter((f) => f.type === 2 || f.type === 6).every((f) => f.labels?.length === f.values.length)).toBe(true);
    expect(fields.filter((f) => f.type !== 2 && f.type !== 6).every((f) => f.labels === undefined)).toBe(true);
    const tags = items.flatMap((c) => c.tags);
    expect(tags.some((t) => t.name !== null && t.groupName !== null)).toBe(true);
    const companies = items.filter((c) => c.company !== null);
    expect(companies.length).toBeGreaterThan(0);
    expect(companies.every((c) => c.type === 2 && /^\d+$/.test(c.company!.id))).toBe(true);
    expect(items.every((c) => typeof c.customerId === "string")).toBe(true);
  });

  it("filters by type", async () => {
    const day = { since: addDays(today, -2), before: addDays(today, -1) };
    const [people, companies, both] = await Promise.all([walk({ ...day, type: 1 }), walk({ ...day, type: 2 }), walk(day)]);
    expect(people.items.length).toBeGreaterThan(0);
    expect(companies.items.length).toBeGreaterThan(0);
    expect(people.items.every((c) => c.type === 1)).toBe(true);
    expect(companies.items.every((c) => c.type === 2)).toBe(true);
    expect(people.items.length + companies.items.length).toBe(both.items.length);
  });

  it("treats since as inclusive and before as exclusive, to the second", async () => {
    const { items } = await walk({ since: addDays(today, -3), before: addDays(today, -2), order: "asc" });
    const pivot = items[Math.floor(items.length / 2)]!;
    const [from, until] = await Promise.all([
      walk({ since: pivot.createTime, before: addDays(today, -2), order: "asc" }),
      walk({ since: addDays(today, -3), before: pivot.createTime, order: "asc" }),
    ]);
    expect(from.items[0]!.createTime).toBe(pivot.createTime);
    expect(until.items.every((c) => c.createTime < pivot.createTime)).toBe(true);
    expect(from.items.length + until.items.length).toBe(items.length);
  });

  it("filters by company, walking Tanma's pages", async () => {
    const { items } = await walk({ ...week, type: 2 });
    const company = items.find((c) => c.company !== null)!.company!;
    const expected = items.filter((c) => c.company?.id === company.id).map((c) => c.customerId);
    const filtered = await walk({ ...week, type: 2, companyId: company.id, size: 5 });
    expect(filtered.items.map((c) => c.customerId)).toEqual(expected);
  });

  it("lists newest first by default", async () => {
    const { items } = await walk(week);
    const ids = items.map((c) => c.customerId);
    expect(ids).toEqual((await directIds(week)).reverse());
  });

  it("answers a stored range from the store, without calling Tanma", async () => {
    await walk({ ...week, size: 100 });
    simulator().resetStats();
    const response = await listRequest({ ...week, size: 100 });
    expect(((await response.json()) as ClueListResponse).items).toHaveLength(100);
    expect(simulator().stats().byPath[TANMA_PATHS.clueList] ?? 0).toBe(0);
  });

  it.each([
    [{ since: week.since }, /before is required/],
    [{ since: "2024-13-01", before: "2024-12-02" }, /since must be a real date/],
    [{ since: "last week", before: week.before }, /since must be a real date/],
    [{ since: week.before, before: week.since }, /since must be earlier than before/],
    [{ since: "2024-01-01", before: "2025-06-01" }, /at most 366 days/],
    [{ ...week, type: "0" }, /type must be 1 \(个人\), 2 \(企业\) or absent/],
    [{ ...week, size: "500" }, /size must be a whole number from 1 to 100/],
    [{ ...week, size: "-1" }, /size must be a whole number from 1 to 100/],
    [{ ...week, color: "red" }, /unknown parameter: color/],
  ])("answers 400 to %j without calling Tanma", async (query, message) => {
    simulator().resetStats();
    const response = await listRequest(query as Record<string, string>);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(simulator().stats().requests).toBe(0);
  });

  it("answers 400 with a message to NUL and other control characters in any parameter, on the list, its facets and its export", async () => {
    const routes = [getClueList, (await import("@/app/api/clues/facets/route")).GET, (await import("@/app/api/clues/export/route")).GET];
    const paths = ["/api/clues", "/api/clues/facets", "/api/clues/export"];
    for (const [name, value] of [
      ["q", "a\u0000b"],
      ["q", "\u0000"],
      ["q", "138\u00001234"],
      ["q", "x\u0001"],
      ["q", "x\u001b[31m"],
      ["q", "x\u007f"],
      ["q", "x\u0085"],
      ["tag", "\u0000"],
      ["tag", "t1\u0000"],
      ["customer_stage", "\u0000"],
      ["customer_stage", "3\u0007"],
    ]) {
      for (const [n, route] of routes.entries()) {
        const params = new URLSearchParams({ ...week, ...(n === 2 ? { format: "csv" } : {}), [name!]: value! });
        const response = await route(new Request(`http://localhost${paths[n]}?${params}`), undefined);
        const what = `${paths[n]} ${name}=${JSON.stringify(value)}`;
        expect(response.status, what).toBe(400);
        expect(((await response.json()) as { error: string }).error, what).toMatch(/control character/);
      }
    }
  });

  it("answers 400 to __proto__ and other keys of Object.prototype, as to any unknown parameter", async () => {
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const response = await listRequest({ ...week, [key]: "1" });
      expect(response.status, key).toBe(400);
      expect(((await response.json()) as { error: string }).error, key).toMatch(new RegExp(`unknown parameter: ${key}`));
    }
    const clue = "100000000000001";
    for (const key of ["__proto__", "constructor"]) {
      const followUps = await getFollowUps(new Request(`http://localhost/api/clues/${clue}/follow-ups?${key}=1`), withId(clue));
      expect(followUps.status, key).toBe(400);
      expect(((await followUps.json()) as { error: string }).error, key).toMatch(new RegExp(`unknown parameter: ${key}`));
    }
  });

  it("answers 400 to a repeated parameter", async () => {
    const response = await getClueList(new Request(`http://localhost/api/clues?since=${week.since}&before=${week.before}&type=1&type=2`), undefined);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/more than once/);
  });

  it("answers 400 to a cursor it did not issue, or issued for another query, without calling Tanma", async () => {
    const first = (await (await listRequest({ ...week, size: 5 })).json()) as ClueListResponse;
    const issued = first.nextCursor!;
    const [payload, tag] = issued.split(".");
    const tamperedPayload = Buffer.from(Buffer.from(payload!, "base64url").toString().replace(/\d/, (d) => String((Number(d) + 1) % 10))).toString("base64url");
    simulator().resetStats();
    for (const [query, what] of [
      [{ ...week, cursor: "not-a-cursor" }, "an invented cursor"],
      [{ ...week, cursor: "AAAAAGCaL2kAAAAAAAAAAAAAAAAAAAn8" }, "a raw Tanma cursor"],
      [{ ...week, cursor: `${tamperedPayload}.${tag}` }, "an edited cursor"],
      [{ ...week, cursor: `${payload}.${"A".repeat(43)}` }, "a forged tag"],
      [{ ...week, type: 2, cursor: issued }, "a cursor of another query"],
    ] as const) {
      const response = await listRequest(query);
      expect(response.status, what).toBe(400);
      expect(((await response.json()) as { error: string }).error, what).toMatch(/cursor is not one this server issued/);
    }
    expect(simulator().stats().requests).toBe(0);
    expect((await listRequest({ ...week, size: 5, cursor: issued })).status).toBe(200);
  });

  it("answers 502 with the upstream message on an injected business error, and 504 when Tanma is too slow, for a range not stored yet", async () => {
    simulator().setKnobs({ errorRate: 1, errorMode: "business" });
    try {
      const failed = await listRequest({ since: addDays(today, -90), before: addDays(today, -89) });
      expect(failed.status).toBe(502);
      expect(((await failed.json()) as { upstreamCode: number }).upstreamCode).toBe(50000);
    } finally {
      simulator().setKnobs({ errorRate: 0 });
    }
    simulator().setKnobs({ latencyMs: 1500 });
    try {
      const slow = await listRequest({ since: addDays(today, -80), before: addDays(today, -79) });
      expect(slow.status).toBe(504);
      expect(((await slow.json()) as { error: string }).error).toMatch(/超时|timed out/);
    } finally {
      simulator().setKnobs({ latencyMs: 0 });
    }
  });
});

describe("one filter grammar: the page URL's field=<key>:<itemId>, with the older <key>=<itemId> as its alias", () => {
  const readRoutes = async () => ({
    list: getClueList,
    facets: (await import("@/app/api/clues/facets/route")).GET,
    export: (await import("@/app/api/clues/export/route")).GET,
  });
  const get = (route: (request: Request, context: undefined) => Promise<Response>, path: string, query: string) =>
    route(new Request(`http://localhost${path}?${query}`), undefined);

  /** Two customer_stage item ids that leads of the week carry. */
  async function weekStages(): Promise<[string, string]> {
    const { items } = await walk({ ...week });
    const stages = [...new Set(items.flatMap((c) => c.fields.filter((f) => f.key === "customer_stage").flatMap((f) => f.values)))].sort();
    expect(stages.length).toBeGreaterThan(1);
    return [stages[0]!, stages[1]!];
  }

  it("answers the list, its facets and its export alike for either spelling, and for both mixed", async () => {
    const routes = await readRoutes();
    const [first, second] = await weekStages();
    const range = new URLSearchParams(week).toString();
    const spellings = [
      `${range}&field=customer_stage:${first}&field=customer_stage:${second}`,
      `${range}&customer_stage=${first}&customer_stage=${second}`,
      `${range}&customer_stage=${first}&field=customer_stage:${second}`,
    ];
    const lists = await Promise.all(
      spellings.map(async (query) => {
        const response = await get(routes.list, "/api/clues", query);
        expect(response.status, query).toBe(200);
        const page = (await response.json()) as ClueListResponse;
        return { ids: page.items.map((c) => c.customerId), total: page.total, stages: page.items.map((c) => c.fields.find((f) => f.key === "customer_stage")?.values[0]) };
      }),
    );
    expect(lists[0]!.ids.length).toBeGreaterThan(0);
    expect(new Set(lists[0]!.stages)).toEqual(new Set([first, second]));
    for (const list of lists.slice(1)) expect(list).toEqual(lists[0]);

    const facets = await Promise.all(
      spellings.map(async (query) => {
        const response = await get(routes.facets, "/api/clues/facets", query);
        expect(response.status, query).toBe(200);
        const { sync: _sync, ...counts } = (await response.json()) as Record<string, unknown>;
        return counts;
      }),
    );
    expect(facets[0]!.total).toBe(lists[0]!.total);
    for (const counts of facets.slice(1)) expect(counts).toEqual(facets[0]);

    // One after another: an instance streams at most EXPORT_MAX_CONCURRENT exports at once.
    const exports: string[] = [];
    for (const query of spellings) {
      const response = await get(routes.export, "/api/clues/export", `${query}&format=csv`);
      expect(response.status, query).toBe(200);
      exports.push(await response.text());
    }
    expect(exports[0]!.split("\n").filter((line) => line.trim() !== "").length).toBeGreaterThan(1);
    for (const csv of exports.slice(1)) expect(csv).toBe(exports[0]);
  });

  it.each([
    ["field=customer_stage", /field must be <select field key>:<item id>/],
    ["field=3", /field must be <select field key>:<item id>/],
    ["field=:3", /field must be <select field key>:<item id>/],
    ["field=customer_stage:", /field must be <select field key>:<item id>/],
    ["field=1stage:3", /field must be <select field key>:<item id>/],
    ["field=customer-stage:3", /field must be <select field key>:<item id>/],
    [`field=customer_stage:${"9".repeat(65)}`, /field must be <select field key>:<item id>/],
    ["field=no_such_field:1", /unknown parameter: no_such_field \(not a select field\)/],
    ["field=customer_stage:3%00", /field values must not contain control characters/],
    ["field=customer_stage%00:3", /field values must not contain control characters/],
    ["field=customer_stage:3%1B", /field values must not contain control characters/],
    [Array.from({ length: 21 }, (_, i) => `field=field_${i}:1`).join("&"), /at most 20 field filters/],
    [Array.from({ length: 51 }, (_, i) => `field=customer_stage:${i}`).join("&"), /field customer_stage may list at most 50 values/],
    [Array.from({ length: 26 }, (_, i) => `field=customer_stage:${i}&customer_stage=x${i}`).join("&"), /field customer_stage may list at most 50 values/],
  ])("answers 400 to a malformed field filter, %s, on the list, its facets and its export", async (filter, message) => {
    const routes = await readRoutes();
    const range = new URLSearchParams(week).toString();
    for (const [route, path, extra] of [
      [routes.list, "/api/clues", ""],
      [routes.facets, "/api/clues/facets", ""],
      [routes.export, "/api/clues/export", "&format=csv"],
    ] as const) {
      const response = await get(route, path, `${range}&${filter}${extra}`);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: string }).error, path).toMatch(message);
    }
  });

  it("accepts a saved view's query verbatim, with the range before it", async () => {
    // A stage some 线索 of the week carry, so that the view (status=clue) lists something.
    const { items } = await walk({ ...week, status: "clue" });
    const first = items.flatMap((c) => c.fields.filter((f) => f.key === "customer_stage").flatMap((f) => f.values)).sort()[0]!;
    expect(first).toBeDefined();
    const views = await import("@/app/api/views/route");
    const created = await views.POST(
      new Request("http://localhost/api/views", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "阶段", query: `?order=asc&status=clue&field=customer_stage:${first}` }),
      }),
      undefined,
    );
    expect(created.status).toBe(201);
    const { query } = (await created.json()) as { query: string };
    expect(query).toContain(`field=customer_stage:${first}`);
    const range = new URLSearchParams(week).toString();
    const page = async (query: string) => {
      const response = await get(getClueList, "/api/clues", query);
      expect(response.status, query).toBe(200);
      const { items, total } = (await response.json()) as ClueListResponse;
      return { items, total };
    };
    const viaView = await page(`${range}&${query}`);
    const viaAlias = await page(`${range}&order=asc&status=clue&customer_stage=${first}`);
    expect(viaView.items.length).toBeGreaterThan(0);
    expect(viaView).toEqual(viaAlias);
    expect(viaView.items.every((c) => c.isClue && c.fields.some((f) => f.key === "customer_stage" && f.values.includes(first)))).toBe(true);
  });
});

describe("GET /api/clues/{customerId} and follow-ups", () => {
  async function someClue(): Promise<ClueItem> {
    const { items } = await walk({ since: addDays(today, -30), before: addDays(today, -29) });
    return items[0]!;
  }

  it("returns the clue in the list's form plus convertCustomerTime", async () => {
    const clue = await someClue();
    const response = await getClue(new Request("http://localhost"), withId(clue.customerId));
    expect(response.status).toBe(200);
    const detail = (await response.json()) as ClueDetail;
    expect(detail).toEqual({ ...clue, convertCustomerTime: detail.convertCustomerTime });
    expect(detail).toHaveProperty("convertCustomerTime");
  });

  it("answers 404 for an unknown id and 400 for a malformed one, the latter without calling Tanma", async () => {
    const missing = await getClue(new Request("http://localhost"), withId("100000000000001"));
    expect(missing.status).toBe(404);
    simulator().resetStats();
    for (const id of ["abc", "12 34", "-5", "99999999999999999999"]) {
      const response = await getClue(new Request("http://localhost"), withId(id));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/customer id/);
    }
    expect(simulator().stats().requests).toBe(0);
  });

  it("pages a clue's follow-ups by cursor without repeats", async () => {
    const { items } = await walk({ since: addDays(today, -60), before: addDays(today, -58) });
    let best = { id: "", count: 0 };
    for (const clue of items.slice(0, 60)) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const url = `http://localhost/api/clues/${clue.customerId}/follow-ups${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`;
        const response = await getFollowUps(new Request(url), withId(clue.customerId));
        expect(response.status).toBe(200);
        const page = (await response.json()) as FollowUpListResponse;
        ids.push(...page.items.map((f) => f.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(new Set(ids).size).toBe(ids.length);
      if (ids.length > best.count) best = { id: clue.customerId, count: ids.length };
    }
    expect(best.count).toBeGreaterThan(20);
  });
});

describe("GET /api/dictionary", () => {
  it("labels the system fields and carries the tag tree", async () => {
    const response = await getDictionary(new Request("http://localhost/api/dictionary"), undefined);
    const dictionary = (await response.json()) as Dictionary;
    expect(dictionary.fieldLabels.mobile).toBe("手机号");
    expect(dictionary.fields.some((f) => f.items.length > 0)).toBe(true);
    expect(dictionary.tagGroups.length).toBeGreaterThan(0);
    expect(dictionary.tagGroups.every((g) => g.tags.every((t) => t.qwTagId.startsWith("et")))).toBe(true);
  });
});

describe("an API path no route claims", () => {
  it("answers a JSON 404, not the HTML not-found page", async () => {
    for (const handler of [getUnknownApiPath, postUnknownApiPath]) {
      const response = await handler(new Request("http://localhost/api/no-such-endpoint"), undefined);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ error: expect.stringContaining("no such API endpoint") });
    }
  });
});

describe("the audit trail with sign-in off", () => {
  it("is nobody's to read: every audit route answers 403", async () => {
    for (const [handler, path] of [[getAudit, "/api/audit"], [getAuditActors, "/api/audit/actors"], [getAuditExport, "/api/audit/export"]] as const) {
      const response = await handler(new Request(`http://localhost${path}`), undefined);
      expect(response.status, path).toBe(403);
      expect(await response.json()).toEqual({ error: expect.stringContaining("admins only") });
    }
  });
});

describe("secret hygiene", () => {
  it("never puts the app key into a response", async () => {
    const bodies = await Promise.all([
      listRequest(week).then((r) => r.text()),
      listRequest({ since: "bad", before: week.before }).then((r) => r.text()),
      getClue(new Request("http://localhost"), withId("100000000000001")).then((r) => r.text()),
      getDictionary(new Request("http://localhost/api/dictionary"), undefined).then((r) => r.text()),
    ]);
    for (const body of bodies) expect(body).not.toContain(SIMULATOR_APP_KEY);
  });
});
