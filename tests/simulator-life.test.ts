import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { addDays, chinaToday, formatChinaWallTime } from "@/lib/china-time";
import { FIELD_TYPE } from "@/lib/tanma/field-types";
import {
  TANMA_PATHS,
  upstreamClueDetailSchema,
  upstreamCluePageSchema,
  upstreamClueSchema,
  type UpstreamClue,
} from "@/lib/tanma/schemas";
import { TenantChangeError } from "@/simulator/changes";
import { DEFAULT_LEADS_PER_DAY, generateDataset, HISTORY_DAYS } from "@/simulator/dataset";
import { DEFAULT_FAULT_KNOBS, DEFAULT_LIFE_RATES, LIFE_OFF } from "@/simulator/knobs";
import { RECENT_MS } from "@/simulator/life";
import { startSimulator, type Simulator } from "@/simulator/server";
import { callTanmaDirectly } from "./support/simulator";

/** A Wednesday mid-morning in China, as in simulator.test.ts. */
const NOW = Date.parse("2025-06-18T10:30:00+08:00");
const TODAY = chinaToday(NOW);
const TOMORROW = addDays(TODAY, 1);
const WEEK = { since: `${addDays(TODAY, -6)} 00:00:00`, before: `${TOMORROW} 00:00:00` };
const EVERYTHING = { since: `${addDays(TODAY, -HISTORY_DAYS)} 00:00:00`, before: `${addDays(TODAY, 2)} 00:00:00` };
const MINUTE = 60_000;

const ids = (clues: readonly UpstreamClue[]) => clues.map((c) => c.customerId);

/** Ascending by (createTime, customerId), each once. */
function expectAscending(clues: readonly UpstreamClue[]) {
  for (let i = 1; i < clues.length; i++) {
    const [a, b] = [clues[i - 1]!, clues[i]!];
    expect(a.createTime < b.createTime || (a.createTime === b.createTime && a.customerId < b.customerId)).toBe(true);
  }
}

/** One page of list-by-create-time-asc, checked against the app's wire schema. */
async function listPage(sim: Simulator, body: Record<string, unknown>) {
  const page = await callTanmaDirectly(sim.baseUrl, TANMA_PATHS.clueList, body);
  expect(page.code).toBe(0);
  upstreamCluePageSchema.parse(page.data);
  return page.data as { list: UpstreamClue[]; nextCursor: string };
}

/** Every record of a range through list-by-create-time-asc, following nextCursor to the end. */
async function walk(sim: Simulator, range: Record<string, unknown>) {
  const all: UpstreamClue[] = [];
  let cursor = "";
  do {
    const page = await listPage(sim, { ...range, size: 100, ...(cursor === "" ? {} : { cursor }) });
    all.push(...page.list);
    cursor = page.nextCursor;
  } while (cursor !== "");
  return all;
}

const getClue = (sim: Simulator, customerId: number) => callTanmaDirectly(sim.baseUrl, TANMA_PATHS.clueGet, { customerId });

function admin(sim: Simulator, method: string, route: string, body?: unknown) {
  return fetch(`${sim.origin}/__sim/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

describe("a tenant changed by hand", () => {
  let sim: Simulator;
  /** The tenant's clock: it moves only when a test moves it. */
  let tenantNow = NOW;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: NOW, clock: () => tenantNow, knobs: LIFE_OFF });
  });
  afterAll(() => sim.close());

  it("adds a lead over HTTP with the given values, listed in order and found by clue/get", async () => {
    tenantNow = NOW + MINUTE;
    const company = sim.dataset.companies[7]!;
    const tagIds = sim.dataset.tagTree[0]!.tags.slice(0, 2).map((t) => t.qwTagId);
    const createTime = `${addDays(TODAY, -2)} 14:05:09`;
    const response = await admin(sim, "POST", "clues", {
      createTime,
      isClue: false,
      name: "测试线索",
      mobile: "13912345678",
      companyId: company.id,
      tagIds,
    });
    expect(response.status).toBe(201);
    const created = upstreamClueSchema.parse(await response.json());
    expect(created).toMatchObject({ createTime, type: 2, isClue: false, tagIds, companyInfo: company });
    expect(String(created.customerId)).toMatch(/^\d{15}$/);
    const value = (key: string) => created.fields.find((f) => f.field === key)?.valueAsText;
    expect(value("name")).toBe("测试线索");
    expect(value("mobile")).toBe('["13912345678"]');
    expect(value("corp_name")).toBe(company.name);
    // The vendor's field layout, like every generated record.
    expect(created.fields.slice(0, 3).map((f) => f.field)).toEqual(["customer_source", "description", "mobile"]);

    // Its id falls between its neighbours', so the list stays ascending by time and by id.
    const index = sim.dataset.indexOf(created.customerId)!;
    expect(sim.dataset.clues[index - 1]!.customerId).toBeLessThan(created.customerId);
    expect(sim.dataset.clues[index + 1]!.customerId).toBeGreaterThan(created.customerId);
    expect(sim.dataset.clues[index - 1]!.createTime <= createTime).toBe(true);
    expect(sim.dataset.clues[index + 1]!.createTime > createTime).toBe(true);

    const day = { since: `${addDays(TODAY, -2)} 00:00:00`, before: `${addDays(TODAY, -1)} 00:00:00` };
    const listed = await walk(sim, day);
    expectAscending(listed);
    expect(listed.filter((c) => c.customerId === created.customerId)).toEqual([created]);
    const companies = await walk(sim, { ...day, type: 2 });
    expect(ids(companies)).toContain(created.customerId);

    const got = await getClue(sim, created.customerId);
    expect(got.code).toBe(0);
    expect(upstreamClueDetailSchema.parse(got.data)).toMatchObject({ customerId: created.customerId, convertCustomerTime: null });
  });

  it("adds a lead created now by default, the newest of the list, with no follow-ups", async () => {
    tenantNow = NOW + 2 * MINUTE;
    const response = await admin(sim, "POST", "clues");
    expect(response.status).toBe(201);
    const created = upstreamClueSchema.parse(await response.json());
    expect(created.createTime).toBe(formatChinaWallTime(tenantNow));
    expect(created.lastUpdateTime).toBe(created.createTime);
    expect(sim.dataset.clues.at(-1)).toEqual(created);
    if (created.type === 2) expect(created.companyInfo).toBeTruthy();

    const today = await walk(sim, { since: `${TODAY} 00:00:00`, before: `${TOMORROW} 00:00:00` });
    expect(today.at(-1)).toEqual(created);
    const followUps = await callTanmaDirectly(sim.baseUrl, TANMA_PATHS.clueFollowUps, { customerId: created.customerId });
    expect(followUps).toMatchObject({ code: 0, data: { list: [], nextCursor: "" } });
  });

  it("edits fields and tags over HTTP: lastUpdateTime moves to now, list and clue/get show the change", async () => {
    tenantNow = NOW + 3 * MINUTE;
    const target = sim.dataset.clues[sim.dataset.clues.length - 50]!;
    const stage = "396823724193856"; // 需求确认
    const tagIds = [sim.dataset.tagTree[2]!.tags[0]!.qwTagId];
    const response = await admin(sim, "PATCH", `clues/${target.customerId}`, {
      fields: { customer_stage: stage, description: null, custom_401300000000006: "401300511088640" },
      tagIds,
    });
    expect(response.status).toBe(200);
    const edited = upstreamClueSchema.parse(await response.json());
    expect(edited).toMatchObject({ customerId: target.customerId, createTime: target.createTime, tagIds });
    expect(edited.lastUpdateTime).toBe(formatChinaWallTime(tenantNow));
    const value = (key: string) => edited.fields.find((f) => f.field === key);
    expect(value("customer_stage")).toEqual({ field: "customer_stage", type: FIELD_TYPE.singleSelect, valueAsText: stage });
    expect(value("description")!.valueAsText).toBeNull();
    // A key the record lacked is added with its dictionary type (活动名称, a single select).
    const campaign = { field: "custom_401300000000006", type: FIELD_TYPE.singleSelect, valueAsText: "401300511088640" };
    expect(value("custom_401300000000006")).toEqual(campaign);
    // Other fields are untouched.
    expect(value("name")).toEqual(target.fields.find((f) => f.field === "name"));

    const got = await getClue(sim, target.customerId);
    expect(got.data).toMatchObject({ ...edited, convertCustomerTime: sim.dataset.convertCustomerTime(target.customerId) });
    const listed = await walk(sim, WEEK);
    expect(listed.find((c) => c.customerId === target.customerId)).toEqual(edited);
  });

  it("removes a lead over HTTP: gone from the list, clue/get and follow-ups answer not-found", async () => {
    const target = sim.dataset.clues.find((c) => c.createTime.startsWith(addDays(TODAY, -1)) && sim.dataset.followUpsOf(c.customerId).length > 0)!;
    const before = await walk(sim, WEEK);
    expect(ids(before)).toContain(target.customerId);

    const response = await admin(sim, "DELETE", `clues/${target.customerId}`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");

    const after = await walk(sim, WEEK);
    expect(ids(after)).toEqual(ids(before).filter((id) => id !== target.customerId));
    expect((await getClue(sim, target.customerId)).code).toBe(40404);
    const followUps = await callTanmaDirectly(sim.baseUrl, TANMA_PATHS.clueFollowUps, { customerId: target.customerId });
    expect(followUps.code).toBe(40404);
    expect(sim.dataset.indexOf(target.customerId)).toBeUndefined();

    expect((await admin(sim, "DELETE", `clues/${target.customerId}`)).status).toBe(404);
    const patch = await admin(sim, "PATCH", `clues/${target.customerId}`, { tagIds: [] });
    expect(patch.status).toBe(404);
    expect(await patch.json()).toEqual({ error: `no clue ${target.customerId} in the clue list` });
  });

  it("answers GET /__sim/clues with every current clue of a range, equal to paging the list", async () => {
    for (const type of [undefined, 1, 2] as const) {
      const query = new URLSearchParams({ ...WEEK, ...(type === undefined ? {} : { type: String(type) }) });
      const response = await admin(sim, "GET", `clues?${query}`);
      expect(response.status).toBe(200);
      const { clues } = z.object({ clues: z.array(z.unknown()) }).parse(await response.json());
      expect(clues).toEqual(await walk(sim, { ...WEEK, ...(type === undefined ? {} : { type }) }));
      expect(clues.length).toBeGreaterThan(100);
    }
    // Days stand for their 00:00:00.
    const byDay = await admin(sim, "GET", `clues?since=${addDays(TODAY, -6)}&before=${TOMORROW}`);
    expect((await byDay.json()).clues).toEqual(sim.cluesBetween(WEEK));
  });

  it("offers the same operations as methods, with the same checks", () => {
    tenantNow = NOW + 4 * MINUTE;
    const countBefore = sim.dataset.clues.length;
    const added = sim.addClue({ type: 1, name: "方法添加" });
    expect(added).toMatchObject({ type: 1, createTime: formatChinaWallTime(tenantNow) });
    expect(added.companyInfo).toBeUndefined();
    expect(sim.cluesBetween({ since: TODAY, before: TOMORROW, type: 1 }).at(-1)).toEqual(added);

    tenantNow += MINUTE;
    const edited = sim.editClue(added.customerId, { tagIds: [] });
    expect(edited).toEqual({ ...added, tagIds: [], lastUpdateTime: formatChinaWallTime(tenantNow) });
    expect(sim.dataset.clues.at(-1)).toEqual(edited);
    // Records are replaced, not changed under a holder.
    expect(added.lastUpdateTime).toBe(added.createTime);

    sim.removeClue(added.customerId);
    expect(sim.dataset.clues.length).toBe(countBefore);
    expect(() => sim.removeClue(added.customerId)).toThrow(TenantChangeError);
    expect(() => sim.editClue(added.customerId, { tagIds: [] })).toThrow(/no clue/);
    expect(() => sim.addClue({ type: 3 } as never)).toThrow(z.ZodError);
    expect(() => sim.cluesBetween({ since: TOMORROW, before: TODAY })).toThrow(/since must be earlier/);
  });

  it("refuses bad admin input with a 400 and a reason, and changes nothing", async () => {
    tenantNow = NOW + 10 * MINUTE;
    const snapshot = JSON.stringify(sim.cluesBetween(EVERYTHING));
    const someId = sim.dataset.clues[100]!.customerId;
    const cases: [string, string, unknown, RegExp][] = [
      ["POST", "clues", { type: 3 }, /type/],
      ["POST", "clues", { mobile: "12345" }, /11-digit/],
      ["POST", "clues", { createTime: "2025-06-18" }, /YYYY-MM-DD HH:mm:ss/],
      ["POST", "clues", { createTime: "2025-02-30 10:00:00" }, /wall time/],
      ["POST", "clues", { createTime: formatChinaWallTime(tenantNow + MINUTE) }, /after the tenant's now/],
      ["POST", "clues", { createTime: "2019-01-01 00:00:00" }, /last 3 years/],
      ["POST", "clues", { companyId: 123 }, /not one of the tenant's companies/],
      ["POST", "clues", { type: 1, companyId: sim.dataset.companies[0]!.id }, /type 2/],
      ["POST", "clues", { tagIds: ["not-a-tag"] }, /WeCom tag id/],
      ["POST", "clues", { surprise: true }, /surprise/],
      ["POST", "clues", "{name:", /JSON/],
      ["PATCH", `clues/${someId}`, {}, /fields, tagIds or both/],
      ["PATCH", `clues/${someId}`, { fields: { no_such_field: "x" } }, /unknown field key/],
      ["PATCH", `clues/${someId}`, { fields: { mobile: "13800138000" } }, /JSON array/],
      ["PATCH", `clues/${someId}`, { fields: { name: 42 } }, /string/],
      ["PATCH", `clues/${someId}`, { tagIds: "etAAAA" }, /array/],
      ["PATCH", "clues/abc", { tagIds: [] }, /positive integer/],
      ["DELETE", "clues/0", undefined, /positive integer/],
      ["GET", `clues?since=${TODAY}`, undefined, /before/],
      ["GET", `clues?since=${TOMORROW}&before=${TODAY}`, undefined, /since must be earlier/],
      ["GET", `clues?since=${TODAY}&before=${TOMORROW}&type=3`, undefined, /type/],
      ["GET", `clues?since=${TODAY}&before=${TOMORROW}&size=5`, undefined, /size/],
      ["POST", "knobs", { arrivalsPerMinute: -1 }, /arrivalsPerMinute/],
    ];
    for (const [method, route, body, reason] of cases) {
      const response = await admin(sim, method, route, body);
      expect(response.status, `${method} ${route} ${JSON.stringify(body)}`).toBe(400);
      expect((await response.json()).error).toMatch(reason);
    }
    expect((await admin(sim, "PUT", "clues")).status).toBe(405);
    expect((await admin(sim, "GET", `clues/${someId}`)).status).toBe(405);
    expect((await admin(sim, "GET", "nope")).status).toBe(404);
    expect(JSON.stringify(sim.cluesBetween(EVERYTHING))).toBe(snapshot);
  });

  it("walks a range once each, in order, while leads are added behind and ahead of its position", async () => {
    tenantNow = NOW + 20 * MINUTE;
    const range = { since: `${addDays(TODAY, -3)} 00:00:00`, before: `${TOMORROW} 00:00:00` };
    const atStart = sim.cluesBetween(range);
    const behind: number[] = [];
    const ahead: number[] = [];
    const walked: UpstreamClue[] = [];
    let cursor = "";
    do {
      const page = await listPage(sim, { ...range, size: 100, ...(cursor === "" ? {} : { cursor }) });
      walked.push(...page.list);
      cursor = page.nextCursor;
      if (cursor === "") break;
      tenantNow += 1000;
      behind.push(sim.addClue({ createTime: range.since }).customerId);
      ahead.push(sim.addClue().customerId);
    } while (cursor !== "");

    expect(walked.length).toBeGreaterThan(atStart.length);
    expectAscending(walked);
    expect(new Set(ids(walked)).size).toBe(walked.length);
    const walkedIds = new Set(ids(walked));
    for (const id of ids(atStart)) expect(walkedIds.has(id)).toBe(true);
    // A lead created after the walk's position is reached by it; one created before it is not (as in Tanma).
    for (const id of ahead) expect(walkedIds.has(id)).toBe(true);
    for (const id of behind) expect(walkedIds.has(id)).toBe(false);
    expect(ids(walked)).toEqual(ids(sim.cluesBetween(range)).filter((id) => !behind.includes(id)));
  });
});
