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

/** Ascending by (createTime, customerId), each once, and by customerId alone too. */
function expectAscending(clues: readonly UpstreamClue[]) {
  const outOfOrder = clues.findIndex((b, i) => {
    const a = clues[i - 1];
    if (a === undefined) return false;
    const byTime = a.createTime < b.createTime || (a.createTime === b.createTime && a.customerId < b.customerId);
    return !byTime || a.customerId >= b.customerId;
  });
  expect(outOfOrder).toBe(-1);
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
    const target = sim.dataset.clues.find((c) => c.createTime.startsWith(addDays(TODAY, -1)) && sim.followUpsOf(c.customerId).length > 0)!;
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
      ["GET", `clues?since=2025-02-30&before=${TODAY}`, undefined, /YYYY-MM-DD/],
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

describe("a tenant that lives on its own", () => {
  it("has leads arrive, get edited and leave at the configured rates, the same for the same seed", async () => {
    let tenantNow = NOW;
    const rates = { arrivalsPerMinute: 60, editsPerMinute: 30, removalsPerMinute: 20 };
    const start = (seed?: number) => startSimulator({ port: 0, now: NOW, seed, clock: () => tenantNow, knobs: rates });
    const [sim, twin, other] = await Promise.all([start(), start(), start(7)]);
    try {
      const original = new Map(sim.dataset.clues.map((c) => [c.customerId, c]));
      tenantNow = NOW + 10 * MINUTE;
      for (const s of [sim, twin, other]) s.catchUp();
      expect(JSON.stringify(twin.dataset.clues)).toBe(JSON.stringify(sim.dataset.clues));

      const clues = sim.dataset.clues;
      expectAscending(clues);
      const anchor = formatChinaWallTime(NOW);
      const end = formatChinaWallTime(tenantNow);
      const arrived = clues.filter((c) => !original.has(c.customerId));
      // 600 expected in 10 minutes; a Poisson count's standard deviation is about 25.
      expect(arrived.length).toBeGreaterThan(480);
      expect(arrived.length).toBeLessThan(720);
      for (const c of arrived) {
        expect(c.createTime > anchor && c.createTime <= end).toBe(true);
        // Their follow-ups come over their own life: none before the lead, none after the tenant's now.
        for (const item of sim.followUpsOf(c.customerId)) expect(item.createTime >= c.createTime && item.createTime <= end).toBe(true);
      }
      const otherArrived = other.dataset.clues.filter((c) => c.createTime > anchor);
      expect(ids(otherArrived)).not.toEqual(ids(arrived));

      // Edits and removals fall on recent leads only.
      const recentFrom = formatChinaWallTime(NOW - RECENT_MS);
      const removed = [...original.values()].filter((c) => sim.dataset.indexOf(c.customerId) === undefined);
      expect(removed.length).toBeGreaterThan(100); // ~200 less those that hit an arrival
      expect(removed.length).toBeLessThan(280);
      for (const c of removed) expect(c.createTime >= recentFrom).toBe(true);
      const edited = clues.filter((c) => original.has(c.customerId) && c !== original.get(c.customerId));
      expect(edited.length).toBeGreaterThan(150); // ~300 less repeats, removals and arrivals hit
      for (const c of edited) {
        const before = original.get(c.customerId)!;
        expect(c.createTime >= recentFrom).toBe(true);
        expect(c.createTime).toBe(before.createTime);
        expect(c.lastUpdateTime > anchor && c.lastUpdateTime <= end).toBe(true);
      }
      // Most edits change a value (a fresh draw can repeat the old one); fields keep their layout.
      const content = (c: UpstreamClue) => JSON.stringify([c.fields, c.tagIds]);
      const changed = edited.filter((c) => content(c) !== content(original.get(c.customerId)!));
      expect(changed.length).toBeGreaterThan(edited.length / 2);
      const layout = (c: UpstreamClue) => c.fields.map((f) => f.field).slice(0, 10);
      for (const c of edited) expect(layout(c)).toEqual(layout(original.get(c.customerId)!));
    } finally {
      await Promise.all([sim, twin, other].map((s) => s.close()));
    }
  });

  it("shows arrivals to the next request without being asked, and follows rate changes from /__sim/knobs", async () => {
    let tenantNow = NOW;
    const sim = await startSimulator({ port: 0, now: NOW, clock: () => tenantNow, knobs: LIFE_OFF });
    try {
      const today = { since: `${TODAY} 00:00:00`, before: `${TOMORROW} 00:00:00` };
      const before = await walk(sim, today);
      tenantNow += 60 * MINUTE;
      expect(await walk(sim, today)).toEqual(before);

      const set = await admin(sim, "POST", "knobs", { arrivalsPerMinute: 120 });
      expect(await set.json()).toMatchObject({ ...LIFE_OFF, arrivalsPerMinute: 120 });
      tenantNow += MINUTE;
      const after = await walk(sim, today);
      expect(after.slice(0, before.length)).toEqual(before);
      const arrived = after.length - before.length;
      expect(arrived).toBeGreaterThan(70);
      expect(arrived).toBeLessThan(170);

      await admin(sim, "POST", "knobs", { arrivalsPerMinute: 0 });
      tenantNow += 10 * MINUTE;
      expect(await walk(sim, today)).toEqual(after);
    } finally {
      await sim.close();
    }
  });

  it("runs on the real clock by default with the default rates, and stops living when closed", async () => {
    const lively = await startSimulator({ port: 0 });
    expect(lively.setKnobs({})).toEqual({ ...DEFAULT_FAULT_KNOBS, ...DEFAULT_LIFE_RATES });
    await lively.close();

    const sim = await startSimulator({ port: 0, knobs: { ...LIFE_OFF, arrivalsPerMinute: 1200 } });
    const initial = sim.dataset.clues.length;
    // 20 a second, applied by the timer alone: nothing here calls the simulator.
    await sleep(1500);
    const grown = sim.dataset.clues.length;
    expect(grown - initial).toBeGreaterThan(10);
    expect(sim.dataset.clues.at(-1)!.createTime <= formatChinaWallTime(Date.now())).toBe(true);
    await sim.close();
    await sleep(1100);
    expect(sim.dataset.clues.length).toBe(grown);
  });
});

describe("volume", () => {
  it("generates 108,000 clues at 600 a day, ordered as the default volume is", () => {
    const big = generateDataset({ now: NOW, leadsPerDay: 600 });
    const count = 600 * HISTORY_DAYS;
    // Six more are placed in the last hour so "today" always has rows.
    expect(big.clues.length).toBeGreaterThanOrEqual(count);
    expect(big.clues.length).toBeLessThanOrEqual(count + 6);
    expectAscending(big.clues);
    expect(String(big.clues.at(-1)!.customerId)).toMatch(/^\d{15}$/);
    const perDay = big.clues.filter((c) => c.createTime.startsWith(addDays(TODAY, -1))).length;
    expect(perDay).toBeGreaterThan(400);
  }, 30_000);

  it("keeps the default volume's data when leadsPerDay is given as the default, and refuses nonsense", () => {
    expect(JSON.stringify(generateDataset({ now: NOW, leadsPerDay: DEFAULT_LEADS_PER_DAY }).clues)).toBe(
      JSON.stringify(generateDataset({ now: NOW }).clues),
    );
    expect(() => generateDataset({ now: NOW, leadsPerDay: 0 })).toThrow(RangeError);
    expect(() => generateDataset({ now: NOW, leadsPerDay: 1e6 })).toThrow(/at most/);
  });
});

describe("npm run simulator", () => {
  const run = (env: Record<string, string>) =>
    spawn(process.execPath, ["--import", "tsx", "simulator/main.ts"], {
      env: { ...process.env, TANMA_SIMULATOR_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });

  it("takes the volume and life knobs from the environment", async () => {
    const child = run({
      SIM_LEADS_PER_DAY: "10",
      SIM_ARRIVALS_PER_MINUTE: "7",
      SIM_EDITS_PER_MINUTE: "0",
      SIM_REMOVALS_PER_MINUTE: "0.5",
    });
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      const match = /on (http:\S+)\/apiServer \((\d+) clues\)/.exec(line.toString());
      expect(match).not.toBeNull();
      expect(Number(match![2])).toBeGreaterThanOrEqual(10 * HISTORY_DAYS);
      expect(Number(match![2])).toBeLessThanOrEqual(10 * HISTORY_DAYS + 6);
      const knobs = await fetch(`${match![1]}/__sim/knobs`, { method: "POST", body: "{}" });
      expect(await knobs.json()).toMatchObject({ arrivalsPerMinute: 7, editsPerMinute: 0, removalsPerMinute: 0.5, latencyMs: 0 });
    } finally {
      child.kill();
    }
  }, 30_000);

  it("refuses a bad life or volume variable with a clear message", async () => {
    const child = run({ SIM_LEADS_PER_DAY: "0", SIM_ARRIVALS_PER_MINUTE: "lots" });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(1);
    expect(stderr).toMatch(/SIM_LEADS_PER_DAY/);
    expect(stderr).toMatch(/SIM_ARRIVALS_PER_MINUTE/);
  }, 30_000);
});
