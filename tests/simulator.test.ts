import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { addDays, chinaToday, formatChinaWallTime, parseChinaWallTime } from "@/lib/china-time";
import {
  TANMA_PATHS,
  upstreamClueDetailSchema,
  upstreamCluePageSchema,
  upstreamCustomerFieldsSchema,
  upstreamFollowUpPageSchema,
  upstreamTagTreeSchema,
  type UpstreamClue,
} from "@/lib/tanma/schemas";
import { signedHeaders, tanmaSign } from "@/lib/tanma/sign";
import { SIMULATOR_APP_ID, SIMULATOR_APP_KEY } from "@/lib/tanma/simulator-defaults";
import { generateDataset } from "@/simulator/dataset";
import { firstPersonFollowUp } from "@/simulator/follow-ups";
import { DEFAULT_FAULT_KNOBS, LIFE_OFF } from "@/simulator/knobs";
import { startSimulator, type Simulator } from "@/simulator/server";

/** A Wednesday mid-morning in China, so "today so far" has office-hour records. */
const NOW = Date.parse("2025-06-18T10:30:00+08:00");
const TODAY = chinaToday(NOW);
const LAST_7_DAYS = { since: `${addDays(TODAY, -6)} 00:00:00`, before: `${addDays(TODAY, 1)} 00:00:00` };

let sim: Simulator;

beforeAll(async () => {
  // Pages are compared with the dataset, so the tenant changes only when a test says so.
  sim = await startSimulator({ port: 0, now: NOW, knobs: LIFE_OFF });
});
afterAll(() => sim.close());
afterEach(() => sim.setKnobs(DEFAULT_FAULT_KNOBS));

type CallOptions = {
  appId?: string;
  timestamp?: string;
  /** Sign this string instead of the body actually sent. */
  signedBody?: string;
  sign?: string;
  method?: string;
  extraHeaders?: Record<string, string>;
};

/** A signed POST as the app's client sends it: serialize once, sign that exact string, send it. */
async function call(path: string, body: unknown, options: CallOptions = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const credentials = { appId: options.appId ?? SIMULATOR_APP_ID, appKey: SIMULATOR_APP_KEY };
  const headers = signedHeaders(credentials, options.signedBody ?? raw, options.timestamp);
  const method = options.method ?? "POST";
  const res = await fetch(sim.baseUrl + path, {
    method,
    headers: { ...headers, ...(options.sign === undefined ? {} : { sign: options.sign }), ...options.extraHeaders },
    ...(method === "GET" ? {} : { body: raw }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw replies, well-formed and not: each test parses or inspects its part
  const json = (await res.json()) as { code: number; message: string; data: any };
  return { status: res.status, ...json };
}

const listClues = (body: Record<string, unknown>) => call(TANMA_PATHS.clueList, body);

/** Follows nextCursor to the end, checking each page against the app's own wire schema. */
async function pageAll(body: Record<string, unknown>) {
  const all: UpstreamClue[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listClues({ ...body, ...(cursor === undefined ? {} : { cursor }) });
    expect(page.code).toBe(0);
    upstreamCluePageSchema.parse(page.data);
    all.push(...page.data.list);
    pageSizes.push(page.data.list.length);
    if (page.data.nextCursor === "") return { all, pageSizes };
    cursor = page.data.nextCursor;
  }
}

const inRange = (clue: UpstreamClue, since: string, before: string) => clue.createTime >= since && clue.createTime < before;

describe("signing", () => {
  it("matches the vendor-documented test vectors", () => {
    const sign = (body: string) => tanmaSign("demoAppId", "1700000000000", body, "demoAppKey");
    expect(sign('{"since":"2024-01-01 00:00:00","before":"2024-01-02 00:00:00","size":100,"type":1}')).toBe(
      "a598e0a520e3571e9a54013e60aac02eea7940ab9f07e8168933bdfb07e570d1",
    );
    expect(sign("")).toBe("7edab1691a50aa2c65de8e9ef47b8a23c9b0370c9c5243f9ef7046d871038596");
    expect(sign("{}")).toBe("b86feeedaabe6ebc7c6c1557152dc64273359f915064e8d45809ab4e0adaafb9");
  });

  it("accepts a correctly signed request, with or without an appKey header", async () => {
    expect((await call(TANMA_PATHS.tagTree, {})).code).toBe(0);
    expect((await call(TANMA_PATHS.tagTree, "")).code).toBe(0);
    expect((await call(TANMA_PATHS.tagTree, {}, { extraHeaders: { appKey: "anything" } })).code).toBe(0);
  });

  it("rejects a wrong sign, an unknown appId and a body altered after signing with 1002", async () => {
    const body = { ...LAST_7_DAYS, size: 10 };
    const wrong = await call(TANMA_PATHS.clueList, body, { sign: "0".repeat(64) });
    expect(wrong).toMatchObject({ status: 200, code: 1002, message: "签名校验未通过", data: null });
    expect((await call(TANMA_PATHS.clueList, body, { appId: "someone-else" })).code).toBe(1002);
    const altered = await call(TANMA_PATHS.clueList, { ...body, size: 11 }, { signedBody: JSON.stringify(body) });
    expect(altered.code).toBe(1002);
    // Same JSON value, different bytes: the sign covers the raw string, not the parsed value.
    const respaced = await call(TANMA_PATHS.clueList, JSON.stringify(body, null, 1), { signedBody: JSON.stringify(body) });
    expect(respaced.code).toBe(1002);
  });

  it("rejects a timestamp outside ±5 minutes or not in milliseconds with 1003", async () => {
    const old = await call(TANMA_PATHS.tagTree, {}, { timestamp: String(Date.now() - 6 * 60_000) });
    expect(old).toMatchObject({ code: 1003, message: "请求时间与服务器时间相差过大" });
    expect((await call(TANMA_PATHS.tagTree, {}, { timestamp: String(Date.now() + 6 * 60_000) })).code).toBe(1003);
    expect((await call(TANMA_PATHS.tagTree, {}, { timestamp: String(Math.floor(Date.now() / 1000)) })).code).toBe(1003);
    expect((await call(TANMA_PATHS.tagTree, {}, { timestamp: String(Date.now() - 4 * 60_000) })).code).toBe(0);
  });
});

describe("transport", () => {
  it("answers other methods with HTTP 405 and unknown paths with HTTP 404, both as envelopes", async () => {
    const get = await call(TANMA_PATHS.tagTree, {}, { method: "GET" });
    expect(get).toMatchObject({ status: 405, code: 405 });
    const unknown = await call("/api/v3/clue/nope", {});
    expect(unknown).toMatchObject({ status: 404, code: 404, data: null });
  });

  it("reports malformed JSON as 40400", async () => {
    expect((await call(TANMA_PATHS.clueList, "{since:")).code).toBe(40400);
    expect((await call(TANMA_PATHS.clueList, "[1,2]")).code).toBe(40400);
  });
});

describe("clue/list-by-create-time-asc", () => {
  it("validates parameters with the 404xx family", async () => {
    const ok = { ...LAST_7_DAYS, size: 10 };
    expect((await listClues({ before: ok.before })).code).toBe(40401);
    expect((await listClues({ ...ok, since: TODAY })).code).toBe(40401);
    expect((await listClues({ ...ok, since: "2025-02-30 00:00:00" })).code).toBe(40401);
    expect((await listClues({ ...ok, since: ok.before })).code).toBe(40402);
    expect((await listClues({ ...ok, since: "2025-06-19 00:00:00", before: "2025-06-18 00:00:00" })).code).toBe(40402);
    expect((await listClues({ ...ok, cursor: "not-a-cursor" })).code).toBe(40403);
    expect((await listClues({ ...ok, cursor: "AAAAAGCaL2kAAAAAAAAAAAAAAAAAAAn8" })).code).toBe(40403);
    expect((await listClues({ ...ok, cursor: 42 })).code).toBe(40403);
    expect((await listClues({ ...ok, type: 3 })).code).toBe(40405);
    expect((await listClues({ ...ok, type: "1" })).code).toBe(40405);
    expect((await listClues({ ...ok, size: 0 })).code).toBe(40406);
    expect((await listClues({ ...ok, size: 2.5 })).code).toBe(40406);
    expect((await listClues({ ...ok, size: "10" })).code).toBe(40406);
  });

  it("rejects an edited cursor and a follow-up cursor", async () => {
    const first = await listClues({ ...LAST_7_DAYS, size: 5 });
    const cursor: string = first.data.nextCursor;
    const edited = cursor.slice(0, 10) + (cursor[10] === "A" ? "B" : "A") + cursor.slice(11);
    expect((await listClues({ ...LAST_7_DAYS, size: 5, cursor: edited })).code).toBe(40403);

    const withFollowUps = sim.dataset.clues.find((c) => sim.followUpsOf(c.customerId).length > 3)!;
    const fu = await call(TANMA_PATHS.clueFollowUps, { customerId: withFollowUps.customerId, size: 1 });
    expect((await listClues({ ...LAST_7_DAYS, size: 5, cursor: fu.data.nextCursor })).code).toBe(40403);
  });

  it("defaults size to 20 and caps it at 100", async () => {
    expect((await listClues(LAST_7_DAYS)).data.list).toHaveLength(20);
    const capped = await listClues({ ...LAST_7_DAYS, size: 500 });
    expect(capped.code).toBe(0);
    expect(capped.data.list).toHaveLength(100);
    expect(capped.data.nextCursor).not.toBe("");
  });

  it("pages the last 7 days by cursor: every record once, ascending, same as filtering the dataset", async () => {
    const { all } = await pageAll({ ...LAST_7_DAYS, size: 100 });
    const expected = sim.dataset.clues.filter((c) => inRange(c, LAST_7_DAYS.since, LAST_7_DAYS.before));
    expect(all.map((c) => c.customerId)).toEqual(expected.map((c) => c.customerId));
    expect(new Set(all.map((c) => c.customerId)).size).toBe(all.length);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.createTime < b.createTime || (a.createTime === b.createTime && a.customerId < b.customerId)).toBe(true);
    }
    // The range holds same-second ties, and some fall across a page boundary at a small page size.
    const ties = all.filter((c, i) => i > 0 && all[i - 1]!.createTime === c.createTime);
    expect(ties.length).toBeGreaterThan(5);
    const { all: small } = await pageAll({ ...LAST_7_DAYS, size: 7 });
    expect(small.map((c) => c.customerId)).toEqual(expected.map((c) => c.customerId));
  });

  it("ends with a short page and \"\", or with a full page whose cursor leads to an empty page", async () => {
    const since = `${TODAY} 00:00:00`;
    const before = formatChinaWallTime(NOW + 1000);
    const count = sim.dataset.clues.filter((c) => inRange(c, since, before)).length;
    expect(count).toBeGreaterThan(3);

    const short = await listClues({ since, before, size: count + 1 });
    expect(short.data.list).toHaveLength(count);
    expect(short.data.nextCursor).toBe("");

    const full = await listClues({ since, before, size: count });
    expect(full.data.list).toHaveLength(count);
    expect(full.data.nextCursor).not.toBe("");
    const after = await listClues({ since, before, size: count, cursor: full.data.nextCursor });
    expect(after.data).toEqual({ list: [], nextCursor: "" });
  });

  it("filters by type (1 个人, 2 企业) and returns both when type is absent", async () => {
    for (const type of [1, 2] as const) {
      const { all } = await pageAll({ ...LAST_7_DAYS, size: 100, type });
      const expected = sim.dataset.clues.filter((c) => c.type === type && inRange(c, LAST_7_DAYS.since, LAST_7_DAYS.before));
      expect(all.map((c) => c.customerId)).toEqual(expected.map((c) => c.customerId));
    }
    const mixed = await listClues({ ...LAST_7_DAYS, size: 100 });
    expect(new Set(mixed.data.list.map((c: UpstreamClue) => c.type))).toEqual(new Set([1, 2]));
  });

  it("treats since as inclusive and before as exclusive at an exact record time", async () => {
    const clues = sim.dataset.clues;
    const tieIndex = clues.findIndex((c, i) => i > 20_000 && clues[i + 1]?.createTime === c.createTime);
    const t = clues[tieIndex]!.createTime;
    const atT = clues.filter((c) => c.createTime === t).map((c) => c.customerId);
    expect(atT.length).toBeGreaterThan(1);

    const from = await listClues({ since: t, before: formatChinaWallTime(parseChinaWallTime(t) + 3_600_000), size: 100 });
    expect(from.data.list.slice(0, atT.length).map((c: UpstreamClue) => c.customerId)).toEqual(atT);
    expect(from.data.list.every((c: UpstreamClue) => c.createTime >= t)).toBe(true);

    const until = await listClues({ since: formatChinaWallTime(parseChinaWallTime(t) - 3_600_000), before: t, size: 100 });
    expect(until.data.list.length).toBeGreaterThan(0);
    expect(until.data.list.every((c: UpstreamClue) => c.createTime < t)).toBe(true);
  });
});

describe("clue/get", () => {
  it("returns the clue with convertCustomerTime, and 40404 for an unknown id", async () => {
    const clue = sim.dataset.clues[1234]!;
    const got = await call(TANMA_PATHS.clueGet, { customerId: clue.customerId });
    expect(got.code).toBe(0);
    upstreamClueDetailSchema.parse(got.data);
    expect(got.data).toEqual({ ...clue, convertCustomerTime: sim.dataset.convertCustomerTime(clue.customerId) });

    const converted = sim.dataset.clues.filter((c) => sim.dataset.convertCustomerTime(c.customerId) !== null);
    expect(converted.length / sim.dataset.clues.length).toBeGreaterThan(0.1);
    expect(converted.length / sim.dataset.clues.length).toBeLessThan(0.2);
    const one = await call(TANMA_PATHS.clueGet, { customerId: converted[0]!.customerId });
    expect(one.data.convertCustomerTime >= converted[0]!.createTime).toBe(true);

    const missing = await call(TANMA_PATHS.clueGet, { customerId: 999_999_999_999_999 });
    expect(missing).toMatchObject({ status: 200, code: 40404, message: "线索&待分配客户不存在" });
    expect((await call(TANMA_PATHS.clueGet, { customerId: "abc" })).code).toBe(40407);
    expect((await call(TANMA_PATHS.clueGet, {})).code).toBe(40407);
  });
});

describe("clue/list-follow-up", () => {
  it("pages a long history newest first, exactly once each", async () => {
    const clue = sim.dataset.clues.find((c) => sim.followUpsOf(c.customerId).length > 20)!;
    const expected = sim.followUpsOf(clue.customerId);
    const seen: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await call(TANMA_PATHS.clueFollowUps, { customerId: clue.customerId, size: 10, cursor });
      expect(page.code).toBe(0);
      upstreamFollowUpPageSchema.parse(page.data);
      seen.push(...page.data.list);
      pages++;
      if (page.data.nextCursor === "") break;
      cursor = page.data.nextCursor;
    }
    expect(seen).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < expected.length; i++) expect(expected[i - 1]!.createTime >= expected[i]!.createTime).toBe(true);
    for (const item of expected) {
      expect(item.createTime >= clue.createTime).toBe(true);
      expect(item.createTime <= formatChinaWallTime(NOW)).toBe(true);
    }
  });

  it("filters by type, returns an empty page for a clue without follow-ups, 40404 for an unknown clue", async () => {
    const clue = sim.dataset.clues.find((c) => new Set(sim.followUpsOf(c.customerId).map((f) => f.type)).size === 2)!;
    const notes = await call(TANMA_PATHS.clueFollowUps, { customerId: clue.customerId, size: 100, type: 2 });
    expect(notes.data.list).toEqual(sim.followUpsOf(clue.customerId).filter((f) => f.type === 2));
    expect(notes.data.list.some((f: { content: string }) => f.content.includes("\n"))).toBe(true);

    const quiet = sim.dataset.clues.find((c) => sim.followUpsOf(c.customerId).length === 0)!;
    expect((await call(TANMA_PATHS.clueFollowUps, { customerId: quiet.customerId, size: 10 })).data).toEqual({
      list: [],
      nextCursor: "",
    });
    expect((await call(TANMA_PATHS.clueFollowUps, { customerId: 123_456_789_012_345, size: 10 })).code).toBe(40404);
    expect((await call(TANMA_PATHS.clueFollowUps, { customerId: clue.customerId, size: 0 })).code).toBe(40406);
  });

  it("touches ~60% of leads within an hour, ~20% later, ~20% never; system entries carry no qwUserId", () => {
    const old = sim.dataset.clues.slice(0, 3000);
    const delays = old.map((c) => {
      const first = firstPersonFollowUp(sim.followUpsOf(c.customerId));
      return first === undefined ? undefined : parseChinaWallTime(first.createTime) - parseChinaWallTime(c.createTime);
    });
    const share = (keep: (delay: number | undefined) => boolean) => delays.filter(keep).length / delays.length;
    expect(share((d) => d !== undefined && d <= 3_600_000)).toBeGreaterThan(0.55);
    expect(share((d) => d !== undefined && d <= 3_600_000)).toBeLessThan(0.65);
    expect(share((d) => d !== undefined && d > 3_600_000)).toBeGreaterThan(0.16);
    expect(share((d) => d !== undefined && d > 3_600_000)).toBeLessThan(0.24);
    expect(share((d) => d === undefined)).toBeGreaterThan(0.16);
    expect(share((d) => d === undefined)).toBeLessThan(0.24);
    const all = old.flatMap((c) => sim.followUpsOf(c.customerId));
    const system = all.filter((f) => f.operator?.qwUserId === "");
    expect(system.length).toBeGreaterThan(500);
    expect(system.every((f) => f.type === 2)).toBe(true);
    // System entries come before a first touch too, so a reader taking the earliest entry of all would be wrong.
    const systemFirst = old.filter((c) => sim.followUpsOf(c.customerId).at(-1)?.operator?.qwUserId === "");
    expect(systemFirst.length).toBeGreaterThan(1000);
    const counts = old.map((c) => sim.followUpsOf(c.customerId).length);
    expect(counts.some((n) => n > 20)).toBe(true);
  });

  it("gives a new lead its follow-ups over time, the same for the same seed", async () => {
    let tenantNow = NOW;
    const start = () => startSimulator({ port: 0, now: NOW, clock: () => tenantNow, knobs: LIFE_OFF });
    const [one, twin] = await Promise.all([start(), start()]);
    try {
      const leads = Array.from({ length: 200 }, () => one.addClue());
      for (let i = 0; i < leads.length; i++) twin.addClue();
      expect(leads.every((c) => one.followUpsOf(c.customerId).every((f) => f.operator?.qwUserId === ""))).toBe(true);
      tenantNow = NOW + 2 * 3_600_000;
      const touched = leads.filter((c) => firstPersonFollowUp(one.followUpsOf(c.customerId)) !== undefined);
      expect(touched.length / leads.length).toBeGreaterThan(0.5);
      expect(touched.length / leads.length).toBeLessThan(0.8);
      for (const lead of leads) expect(twin.followUpsOf(lead.customerId)).toEqual(one.followUpsOf(lead.customerId));
    } finally {
      await Promise.all([one.close(), twin.close()]);
    }
  });

  it("adds a follow-up over POST /__sim/clues/{id}/follow-ups, listed newest first; refuses bad input and changes nothing", async () => {
    const clue = sim.addClue();
    // The other tests compare with the generated data: the lead goes again afterwards.
    onTestFinished(() => sim.removeClue(clue.customerId));
    const admin = (path: string, body: unknown) =>
      fetch(`${sim.origin}/__sim/${path}`, { method: "POST", body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const before = sim.followUpsOf(clue.customerId);
    for (const bad of [{ operator: { qwUserId: "x" } }, { createTime: "2099-01-01 00:00:00" }, { createTime: "2001-01-01 00:00:00" }, { extra: 1 }]) {
      expect((await admin(`clues/${clue.customerId}/follow-ups`, bad)).status).toBe(400);
    }
    expect((await admin("clues/123456789012345/follow-ups", {})).status).toBe(404);
    expect((await admin("clues/abc/follow-ups", {})).status).toBe(400);
    expect(sim.followUpsOf(clue.customerId)).toEqual(before);

    const added = await admin(`clues/${clue.customerId}/follow-ups`, { operator: { qwUserId: "LiSi", name: "李四" }, content: "电话已联系" });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ type: 1, content: "电话已联系", operator: { qwUserId: "LiSi", name: "李四" } });
    const system = await admin(`clues/${clue.customerId}/follow-ups`, { operator: { qwUserId: "", name: "系统" } });
    expect(system.body).toMatchObject({ type: 2, operator: { qwUserId: "" } });
    const page = await call(TANMA_PATHS.clueFollowUps, { customerId: clue.customerId, size: 100 });
    expect(page.data.list).toEqual(sim.followUpsOf(clue.customerId));
    expect(page.data.list.map((f: { id: number }) => f.id)).toEqual(expect.arrayContaining([added.body.id, system.body.id]));
    expect(firstPersonFollowUp(page.data.list)?.id).toBe(added.body.id);
  });
});

describe("dictionaries", () => {
  it("serves the tag tree with WeCom-style ids", async () => {
    const tree = await call(TANMA_PATHS.tagTree, "");
    const groups = upstreamTagTreeSchema.parse(tree.data);
    expect(groups.length).toBeGreaterThanOrEqual(6);
    for (const group of groups) {
      expect(group.qwTagId).toMatch(/^et[0-9A-Za-z]{30}$/);
      expect(group.tags.length).toBeGreaterThanOrEqual(3);
      expect(group.tags.length).toBeLessThanOrEqual(8);
      for (const tag of group.tags) expect(tag.qwTagId).toMatch(/^et[0-9A-Za-z]{30}$/);
    }
  });

  it("serves customer fields whose ids the clue rows' custom keys end with", async () => {
    const res = await call(TANMA_PATHS.customerFields, {});
    const { fields } = upstreamCustomerFieldsSchema.parse(res.data);
    const names = fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["性别", "客户来源", "购买意向", "客户阶段", "意向产品", "活动名称"]));
    for (const f of fields) expect(String(f.id)).toMatch(/^\d{15}$/);
    const ids = new Set(fields.map((f) => String(f.id)));
    const customKeys = new Set(sim.dataset.clues.flatMap((c) => c.fields.map((f) => f.field)).filter((k) => k.startsWith("custom_")));
    for (const key of customKeys) expect(ids.has(key.slice("custom_".length))).toBe(true);
  });
});

describe("dataset", () => {
  const clues = () => sim.dataset.clues;

  it("holds at least 20,000 clues over the last 180 days, ascending, with 15-digit increasing ids", () => {
    const all = clues();
    expect(all.length).toBeGreaterThanOrEqual(20_000);
    expect(all[0]!.createTime >= `${addDays(TODAY, -179)} 00:00:00`).toBe(true);
    expect(all.at(-1)!.createTime <= formatChinaWallTime(NOW)).toBe(true);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.createTime >= all[i - 1]!.createTime).toBe(true);
      expect(all[i]!.customerId).toBeGreaterThan(all[i - 1]!.customerId);
    }
    expect(String(all[0]!.customerId)).toMatch(/^\d{15}$/);
    expect(String(all.at(-1)!.customerId)).toMatch(/^\d{15}$/);
    expect(all.every((c) => c.lastUpdateTime >= c.createTime)).toBe(true);
  });

  it("has records on each of the last 7 China days, today so far and the last hour, fewer on weekends", () => {
    const perDay = new Map<string, number>();
    for (const c of clues()) perDay.set(c.createTime.slice(0, 10), (perDay.get(c.createTime.slice(0, 10)) ?? 0) + 1);
    for (let age = 0; age < 7; age++) expect(perDay.get(addDays(TODAY, -age)) ?? 0).toBeGreaterThan(0);
    const lastHour = formatChinaWallTime(NOW - 3_600_000);
    expect(clues().filter((c) => c.createTime >= lastHour).length).toBeGreaterThanOrEqual(3);
    // 2025-06-14/15 are a weekend, 2025-06-16/17 weekdays.
    expect(perDay.get("2025-06-14")!).toBeLessThan(perDay.get("2025-06-16")! / 2);
  });

  it("mixes types, leads and unassigned customers, companies, tags and the vendor's field layout", () => {
    const all = clues();
    const companies = all.filter((c) => c.type === 2);
    expect(companies.length / all.length).toBeGreaterThan(0.28);
    expect(companies.length / all.length).toBeLessThan(0.42);
    expect(all.some((c) => c.isClue) && all.some((c) => !c.isClue)).toBe(true);
    for (const c of companies.slice(0, 500)) {
      expect(String(c.companyInfo!.id)).toMatch(/^\d{15}$/);
      expect(c.fields.find((f) => f.field === "corp_name")!.valueAsText).toBe(c.companyInfo!.name);
    }
    expect(all.filter((c) => c.type === 1).every((c) => c.companyInfo === undefined)).toBe(true);
    expect(new Set(companies.map((c) => c.companyInfo!.id)).size).toBeGreaterThan(200);

    const systemKeys = ["customer_source", "description", "mobile", "address", "birthday", "corp_name", "name", "purchase_intention", "gender", "customer_stage"];
    for (const c of all.slice(0, 200)) expect(c.fields.slice(0, 10).map((f) => f.field)).toEqual(systemKeys);
    const mobile = all.map((c) => c.fields[2]!.valueAsText).find((v) => v !== null)!;
    expect(JSON.parse(mobile)[0]).toMatch(/^1[3-9]\d{9}$/);

    const knownTags = new Set(sim.dataset.tagTree.flatMap((g) => g.tags.map((t) => t.qwTagId)));
    const tagged = all.flatMap((c) => c.tagIds ?? []);
    expect(tagged.some((id) => !knownTags.has(id))).toBe(true);
    expect(all.every((c) => (c.tagIds ?? []).length <= 6)).toBe(true);

    const rare = (key: string) => all.filter((c) => c.fields.some((f) => f.field === key)).length / all.length;
    expect(rare("wx_unionid")).toBeGreaterThan(0);
    expect(rare("wx_unionid")).toBeLessThan(0.03);
    expect(rare("custom_401300000000006")).toBeGreaterThan(0);
    expect(rare("custom_401300000000006")).toBeLessThan(0.05);
  });

  // Generation time is a benchmark figure (npm run bench starts the simulator), not asserted here.
  it("is deterministic for a seed and anchor", () => {
    const again = generateDataset({ now: NOW });
    expect(JSON.stringify(again.clues)).toBe(JSON.stringify(sim.dataset.clues));
    expect(again.tagTree).toEqual(sim.dataset.tagTree);
    const sample = sim.dataset.clues[500]!.customerId;
    expect(again.followUpsOf(sample, NOW)).toEqual(sim.dataset.followUpsOf(sample, NOW));
    expect(generateDataset({ now: NOW, seed: 7 }).clues[0]).not.toEqual(sim.dataset.clues[0]);
  });
});

describe("knobs and stats", () => {
  const body = { ...LAST_7_DAYS, size: 5 };

  it("fails every call at errorRate 1, per errorMode", async () => {
    sim.setKnobs({ errorRate: 1, errorMode: "business" });
    for (let i = 0; i < 3; i++) {
      expect(await listClues(body)).toMatchObject({ status: 200, code: 50000, message: "系统繁忙，请稍后再试（模拟故障）" });
    }
    sim.setKnobs({ errorMode: "http503" });
    expect(await listClues(body)).toMatchObject({ status: 503, code: -1, message: "服务暂时不可用（模拟故障）" });
    sim.setKnobs({ errorMode: "reset" });
    await expect(listClues(body)).rejects.toThrow();
    sim.setKnobs({ errorRate: 0 });
    expect((await listClues(body)).code).toBe(0);
  });

  it("adds latency", async () => {
    sim.setKnobs({ latencyMs: 120 });
    const started = performance.now();
    await listClues(body);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it("rate-limits with HTTP 429 and records peakRps and rejections", async () => {
    // Requests admitted during the previous second (earlier tests) still count against the limit.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sim.resetStats();
    sim.setKnobs({ rateLimitRps: 5 });
    const results = await Promise.all(Array.from({ length: 20 }, () => listClues(body)));
    const limited = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.code === 0)).toHaveLength(5);
    expect(limited).toHaveLength(15);
    expect(limited[0]).toMatchObject({ code: 429, message: "请求过于频繁" });
    const stats = sim.stats();
    expect(stats.rejected["429"]).toBe(15);
    expect(stats.peakRps).toBeGreaterThanOrEqual(20);
  });

  it("counts requests by path and rejections by code", async () => {
    sim.resetStats();
    await listClues(body);
    await listClues(body);
    await call(TANMA_PATHS.tagTree, {});
    await listClues({ ...body, size: 0 });
    await call(TANMA_PATHS.tagTree, {}, { sign: "bad" });
    const stats = sim.stats();
    expect(stats).toMatchObject({
      requests: 5,
      byPath: { [TANMA_PATHS.clueList]: 3, [TANMA_PATHS.tagTree]: 2 },
      rejected: { "40406": 1, "1002": 1 },
    });
    expect(stats.peakRps).toBeGreaterThanOrEqual(1);
    expect(stats.peakRps).toBeLessThanOrEqual(5);
  });

  it("exposes stats and knobs over the /__sim admin routes", async () => {
    sim.resetStats();
    await call(TANMA_PATHS.tagTree, {});
    const stats = await (await fetch(`${sim.origin}/__sim/stats`)).json();
    expect(stats).toMatchObject({ requests: 1 });

    const post = (route: string, payload: unknown) =>
      fetch(`${sim.origin}/__sim/${route}`, { method: "POST", body: JSON.stringify(payload) });
    const set = await post("knobs", { latencyMs: 5, errorMode: "business" });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ ...DEFAULT_FAULT_KNOBS, ...LIFE_OFF, latencyMs: 5, errorMode: "business" });
    expect((await post("knobs", { errorRate: 2 })).status).toBe(400);
    expect((await post("knobs", { errorMode: "explode" })).status).toBe(400);
    expect((await post("knobs", { surprise: 1 })).status).toBe(400);

    const reset = await post("reset-stats", {});
    expect(await reset.json()).toEqual({ requests: 0, byPath: {}, rejected: {}, peakRps: 0 });
  });
});
