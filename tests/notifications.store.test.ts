import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { storeDb } from "@/lib/db/connection";
import { auditEvents } from "@/lib/audit/store/tables";
import { startLeadCopy } from "@/lib/clues/lifecycle";
import { stopFollower } from "@/lib/clues/store/sync";
import { LIFE_OFF } from "@/simulator/knobs";
import type { Subscription, SubscriptionList, TestDelivery } from "@/lib/notifications/schema";
import { leadsMessage } from "@/lib/notifications/message";
import { deliver, sendDue, type SenderPolicy } from "@/lib/notifications/sender";
import { claimDueRows } from "@/lib/notifications/store/outbox";
import { subscriptionRow } from "@/lib/notifications/store/subscriptions";
import { notifyOutbox } from "@/lib/notifications/store/tables";
import type { LeadSummary } from "@/lib/notifications/schema";
import { type Received, type RobotServer, startRobotServer } from "./support/robot-server";
import { useRealTenant } from "./support/real-tenant";

/**
 * Group-robot notifications end to end, on this file's own store (PGlite, or PostgreSQL under `npm run
 * test:pg`): the subscriptions API as admins use it, leads added to a real simulator reaching the store through
 * the follower, the outbox sent to a stand-in robot server that answers as each vendor does. The senders here
 * run `sendDue`, the production loop's pass, with short windows; the production policy is DEFAULT_SENDER_POLICY.
 */

const ADMIN = "alice";
const OTHER = "bob";
const PUBLIC_URL = "https://desk.example.com";
let robots: RobotServer;

beforeAll(async () => {
  robots = await startRobotServer();
  vi.stubEnv("NOTIFY_ALLOWED_HOSTS", robots.host);
  vi.stubEnv("CLUE_DESK_PUBLIC_URL", PUBLIC_URL);
  vi.stubEnv("STORE_LIVE_INTERVAL_S", "0.5");
});
afterAll(async () => {
  stopFollower();
  await stopSenders();
  await robots.close();
});

const tenant = useRealTenant([ADMIN, OTHER], { env: { CLUE_DESK_ADMINS: ADMIN } });
const cookies = new Map<string, string>();

/** The test senders' policy: a 3 s rate window and quick retries given up after 4 s. */
const RATE = { limit: 20, windowMs: 3_000 };
const policy = (claimant: string): SenderPolicy => ({
  claimant,
  rate: RATE,
  timeoutMs: 1_000,
  retry: { baseMs: 100, maxMs: 400, giveUpAfterMs: 4_000 },
  claimMs: 1_500,
});

/** Sender loops running `sendDue` back to back, as instances would (each its own claimant). */
const senders: { stop: boolean; done: Promise<void> }[] = [];
function runSender(claimant: string): void {
  const loop = { stop: false, done: Promise.resolve() };
  loop.done = (async () => {
    while (!loop.stop) {
      await sendDue(policy(claimant));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  senders.push(loop);
}
async function stopSenders(): Promise<void> {
  for (const loop of senders) loop.stop = true;
  await Promise.all(senders.splice(0).map((l) => l.done));
}

beforeAll(async () => {
  tenant.simulator().setKnobs(LIFE_OFF);
  for (const user of [ADMIN, OTHER]) cookies.set(user, await tenant.session(user));
});

type Routes = {
  list: typeof import("@/app/api/subscriptions/route");
  item: typeof import("@/app/api/subscriptions/[id]/route");
  test: typeof import("@/app/api/subscriptions/[id]/test/route");
};
const routes = async (): Promise<Routes> => ({
  list: await import("@/app/api/subscriptions/route"),
  item: await import("@/app/api/subscriptions/[id]/route"),
  test: await import("@/app/api/subscriptions/[id]/test/route"),
});

function as(user: string | null, method = "GET", body?: unknown): RequestInit {
  const headers: Record<string, string> = user === null ? {} : { cookie: cookies.get(user)! };
  if (body !== undefined) headers["content-type"] = "application/json";
  return { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
}
const context = (id: string) => ({ params: Promise.resolve({ id }) });
const URL_BASE = "http://localhost/api/subscriptions";

async function create(body: unknown, user: string | null = ADMIN): Promise<Response> {
  return (await routes()).list.POST(new Request(URL_BASE, as(user, "POST", body)), undefined);
}
async function createOk(body: unknown): Promise<Subscription> {
  const response = await create(body);
  const answer = (await response.json()) as Subscription & { error?: string };
  expect(response.status, answer.error).toBe(201);
  return answer;
}
async function list(user: string | null = ADMIN): Promise<Response> {
  return (await routes()).list.GET(new Request(URL_BASE, as(user)), undefined);
}
async function listed(id: string): Promise<Subscription> {
  const body = (await (await list()).json()) as SubscriptionList;
  return body.subscriptions.find((s) => s.id === id)!;
}

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every message body a robot received, as text (what the group would read, and what must hold no phone number). */
const texts = (messages: Received[]) => messages.map((m) => m.raw);
/** Lead ids a message links to. */
const leadIdsIn = (message: Received) => [...message.raw.matchAll(/\/clues\/(\d+)/g)].map((m) => Number(m[1]));

const wecom = (robot: string, query = "type=2") => ({ name: `订阅 ${robot}`, query, channel: { kind: "wecom", url: robots.url("wecom", robot) } });

describe("the subscriptions API", () => {
  it("is for admins only: 401 without a session, 403 for a user not in CLUE_DESK_ADMINS, before the body is read", async () => {
    expect((await list(null)).status).toBe(401);
    expect((await list(OTHER)).status).toBe(403);
    expect((await create(wecom("nobody"), OTHER)).status).toBe(403);
  });

  it("refuses bad input with a 400 and a reason, and stores nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...wecom("x"), channel: { kind: "wecom", url: "https://evil.example.com/cgi-bin/webhook/send?key=1" } }, /NOTIFY_ALLOWED_HOSTS/],
      [{ ...wecom("x"), channel: { kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1" } }, /NOTIFY_ALLOWED_HOSTS/],
      [{ ...wecom("x"), channel: { kind: "slack", url: robots.url("wecom", "x") } }, /channel.kind/],
      [{ ...wecom("x"), channel: { kind: "wecom", url: "not a url" } }, /channel.url/],
      [{ ...wecom("x"), digest: "25:00" }, /HH:mm/],
      [{ ...wecom("x"), query: "since=2025-01-01" }, /unknown parameter since/],
      [{ ...wecom("x"), extra: 1 }, /unknown parameter/],
      [{ ...wecom("x"), name: " " }, /blank/],
    ];
    for (const [body, reason] of cases) {
      const response = await create(body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(reason);
    }
    expect(((await (await list()).json()) as SubscriptionList).subscriptions).toEqual([]);
  });

  it("creates, changes and deletes a subscription, never answering the robot's URL or secret whole, each change audited", async () => {
    const created = await createOk({ ...wecom("crud-robot-key-0001"), name: "增删改", digest: "08:30" });
    expect(created).toMatchObject({ name: "增删改", query: "type=2", digest: "08:30", channel: { kind: "wecom", signed: false } });
    expect(created.channel.url).toBe(`http://${robots.host}/…0001`);
    const { item } = await routes();
    const patched = await item.PATCH(
      new Request(`${URL_BASE}/${created.id}`, as(ADMIN, "PATCH", { name: "改名", channel: { kind: "dingtalk", url: robots.url("dingtalk", "crud-robot-key-0002"), secret: "SECcrud" } })),
      context(created.id),
    );
    const changed = (await patched.json()) as Subscription;
    expect(changed).toMatchObject({ name: "改名", channel: { kind: "dingtalk", signed: true } });
    expect(JSON.stringify(changed)).not.toMatch(/crud-robot-key|SECcrud/);
    expect((await item.PATCH(new Request(`${URL_BASE}/${created.id}`, as(ADMIN, "PATCH", {})), context(created.id))).status).toBe(400);
    expect((await item.DELETE(new Request(`${URL_BASE}/${created.id}`, as(ADMIN, "DELETE")), context(created.id))).status).toBe(204);
    expect((await item.DELETE(new Request(`${URL_BASE}/${created.id}`, as(ADMIN, "DELETE")), context(created.id))).status).toBe(404);
    expect((await item.DELETE(new Request(`${URL_BASE}/nope`, as(ADMIN, "DELETE")), context("nope"))).status).toBe(404);

    const db = await storeDb();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.target, created.id));
    expect(events.map((e) => e.action).sort()).toEqual(["subscription_create", "subscription_delete", "subscription_update"]);
    expect(JSON.stringify(events)).not.toMatch(/crud-robot-key|SECcrud/);
    expect(events.every((e) => e.actor === ADMIN)).toBe(true);
  });
});

describe("delivery", () => {
  let matching: Subscription;
  const before = { name: "订阅前的企业线索", type: 2 as const };

  beforeAll(async () => {
    // A matching lead already in the store before the subscription exists: it is never sent.
    const old = tenant.simulator().addClue(before);
    await startLeadCopy();
    await eventually(async () => {
      const [row] = await (await storeDb()).execute(sql`select 1 from clues where customer_id = ${old.customerId}`).then((r) => (r as unknown as { rows: unknown[] }).rows);
      return row;
    });
    matching = await createOk(wecom("match"));
    runSender("instance-a");
  });

  it("sends a matching new lead once, within 30 s, in WeCom's markdown; a non-matching lead never; no phone number in any message", async () => {
    const sim = tenant.simulator();
    const started = Date.now();
    const person = sim.addClue({ type: 1, name: "个人线索不该发" });
    const company = sim.addClue({ type: 2, isClue: true, name: "王老板 13912345678", mobile: "13812345678" });
    const [message] = await eventually(() => (robots.for("match").length > 0 ? robots.for("match") : undefined), 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(message!.body).toMatchObject({ msgtype: "markdown" });
    const content = (message!.body as { markdown: { content: string } }).markdown.content;
    expect(content).toContain("新线索 · 订阅 match（1 条）");
    expect(content).toContain(`${PUBLIC_URL}/clues/${company.customerId}`);
    expect(content).toContain("企业 · 线索");
    // Masked, its asterisks full-width so that markdown does not read them as emphasis.
    expect(content).toContain("王老板 139＊＊＊＊5678");
    expect(leadIdsIn(message!)).toEqual([company.customerId]);

    // Another matching lead goes in a message of its own: the first is not sent again, the person never.
    const next = sim.addClue({ type: 2, name: "第二家企业" });
    await eventually(() => (robots.for("match").length >= 2 ? true : undefined), 30_000);
    const all = robots.for("match");
    expect(all.flatMap(leadIdsIn).sort()).toEqual([company.customerId, next.customerId].sort());
    expect(all.flatMap(leadIdsIn)).not.toContain(person.customerId);
    expect(all.some((m) => m.raw.includes(before.name))).toBe(false);
    expect((await listed(matching.id)).lastDeliveryAt).not.toBeNull();
  });

  it("puts a burst of 50 leads in one message: 10 listed, then 另有 40 条", async () => {
    const burst = await createOk(wecom("burst", "type=1"));
    const sim = tenant.simulator();
    const added = Array.from({ length: 50 }, (_, i) => sim.addClue({ type: 1, name: `批量个人 ${i}` }));
    const messages = await eventually(() => {
      const got = robots.for("burst");
      return got.flatMap(leadIdsIn).length + Number(/另有 (\d+) 条/.exec(got.map((m) => m.raw).join(""))?.[1] ?? 0) >= 50 ? got : undefined;
    }, 30_000);
    // The follower may store the 50 across two steps; each step's leads are one message.
    expect(messages.length).toBeLessThanOrEqual(2);
    const first = (messages[0]!.body as { markdown: { content: string } }).markdown.content;
    expect(leadIdsIn(messages[0]!).length).toBeLessThanOrEqual(10);
    if (messages.length === 1) {
      expect(first).toContain("（50 条）");
      expect(first).toContain("另有 40 条");
      expect(leadIdsIn(messages[0]!)).toEqual(added.slice(0, 10).map((c) => c.customerId));
    }
    await deleteSubscription(burst.id);
  });

  it("sends at most 20 messages a minute to one robot (here: a 3 s window), waiting rather than dropping", async () => {
    const subscriptions: Subscription[] = [];
    for (let i = 0; i < 25; i++) subscriptions.push(await createOk({ ...wecom("busy"), name: `忙碌 ${i}` }));
    const lead = tenant.simulator().addClue({ type: 2, name: "二十五个订阅的企业" });
    const received = await eventually(() => (robots.for("busy").length >= 25 ? robots.for("busy") : undefined), 30_000);
    expect(received.every((m) => leadIdsIn(m).includes(lead.customerId))).toBe(true);
    const times = received.map((m) => m.at).sort((a, b) => a - b);
    const most = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + RATE.windowMs - 200).length));
    expect(most).toBeLessThanOrEqual(20);
    // The last five waited for the window: the burst took about one window, not a moment.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(RATE.windowMs - 500);
    for (const s of subscriptions) await deleteSubscription(s.id);
  });

  it("retries a failing robot (HTTP 500) with backoff, then marks the delivery failed and shows it", async () => {
    robots.setMode("down", "error500");
    const down = await createOk(wecom("down"));
    tenant.simulator().addClue({ type: 2, name: "发不出去的企业" });
    const shown = await eventually(async () => {
      const s = await listed(down.id);
      return s.failed === 1 ? s : undefined;
    }, 30_000);
    expect(shown).toMatchObject({ pending: 0, failed: 1, lastError: "HTTP 500" });
    expect(robots.for("down").length).toBeGreaterThanOrEqual(3);
    // The outbox's gauge, read at a scrape, counts the failed delivery.
    const { readOutboxGauges } = await import("@/lib/notifications/store/metrics");
    const { metrics } = await import("@/lib/observability/metrics");
    await readOutboxGauges();
    const outbox = await metrics().outboxLeads.get();
    expect(outbox.values.find((v) => v.labels.status === "failed")?.value).toBeGreaterThanOrEqual(1);
    await deleteSubscription(down.id);
  });

  it("retries a rate-limited robot (errcode 45009) and a silent one (timeout) until it answers, then sends once", async () => {
    robots.setMode("limited", "rateLimited");
    robots.setMode("silent", "silent");
    const limited = await createOk(wecom("limited"));
    const silent = await createOk(wecom("silent"));
    const lead = tenant.simulator().addClue({ type: 2, name: "限流后送达" });
    await eventually(async () => ((await listed(limited.id)).lastError !== null && (await listed(silent.id)).lastError !== null ? true : undefined), 30_000);
    expect((await listed(limited.id)).lastError).toBe("errcode 45009: api freq out of limit");
    expect((await listed(silent.id)).lastError).toBe("no answer within 1000 ms");
    robots.setMode("limited", "ok");
    robots.setMode("silent", "ok");
    for (const s of [limited, silent]) {
      await eventually(async () => ((await listed(s.id)).pending === 0 ? true : undefined), 30_000);
      expect((await listed(s.id)).failed).toBe(0);
    }
    const okReplies = robots.received.filter((m) => (m.robot === "limited" || m.robot === "silent") && leadIdsIn(m).includes(lead.customerId));
    expect(okReplies.length).toBeGreaterThanOrEqual(4);
    expect((await listed(limited.id)).lastDeliveryAt).not.toBeNull();
    await deleteSubscription(limited.id);
    await deleteSubscription(silent.id);
  });

  it("never follows a redirect: a 302 is a failed delivery and its target receives nothing", async () => {
    robots.setMode("moved", "redirect");
    const moved = await createOk(wecom("moved"));
    tenant.simulator().addClue({ type: 2, name: "重定向" });
    await eventually(async () => ((await listed(moved.id)).lastError === "HTTP 302" ? true : undefined), 30_000);
    expect(robots.for("redirected")).toEqual([]);
    await deleteSubscription(moved.id);
  });

  it("two instances sending from one store send each lead once", async () => {
    runSender("instance-b");
    const shared: Subscription[] = [];
    for (let i = 0; i < 4; i++) shared.push(await createOk({ ...wecom(`shared-${i}`), name: `共享 ${i}` }));
    const sim = tenant.simulator();
    const leads: { customerId: number }[] = [];
    for (let round = 0; round < 3; round++) {
      leads.push(...Array.from({ length: 5 }, (_, i) => sim.addClue({ type: 2, name: `两实例 ${round}-${i}` })));
      await eventually(() => (shared.every((_, i) => robots.for(`shared-${i}`).flatMap(leadIdsIn).length >= leads.length) ? true : undefined), 30_000);
    }
    for (let i = 0; i < shared.length; i++) {
      const ids = robots.for(`shared-${i}`).flatMap(leadIdsIn);
      expect(ids.length).toBe(new Set(ids).size);
      expect(new Set(ids)).toEqual(new Set(leads.map((l) => l.customerId)));
    }
    for (const s of shared) await deleteSubscription(s.id);
  });

  it("a sender that dies between sending and recording: the rows' claim lapses and they are sent once more, nothing lost", async () => {
    await stopSenders();
    const crash = await createOk(wecom("crash"));
    const lead = tenant.simulator().addClue({ type: 2, name: "崩溃前已发出" });
    const db = await storeDb();
    const enqueued = async () => (await db.select().from(notifyOutbox).where(eq(notifyOutbox.subscriptionId, crash.id))).map((r) => r.customerId);
    await eventually(async () => ((await enqueued()).includes(lead.customerId) ? true : undefined), 30_000);
    // The dead instance: claims, sends, and never records (kill -9 between the robot's answer and the mark).
    const rows = await claimDueRows(crash.id, "dead-instance", 500, 1_000);
    expect(rows.map((r) => r.customerId)).toContain(lead.customerId);
    const row = await subscriptionRow(crash.id);
    expect((await deliver(row, leadsMessage(row, rows.map((r) => r.payload as LeadSummary), PUBLIC_URL), 1_000)).ok).toBe(true);
    runSender("instance-a");
    await eventually(async () => ((await listed(crash.id)).pending === 0 ? true : undefined), 30_000);
    const sent = robots.for("crash").flatMap(leadIdsIn);
    for (const r of rows) expect(sent.filter((id) => id === r.customerId)).toHaveLength(2);
    await deleteSubscription(crash.id);
  });

  it("no message any robot received holds a full phone number", () => {
    expect(robots.received.length).toBeGreaterThan(0);
    for (const text of texts(robots.received)) expect(text).not.toMatch(/1[3-9]\d{9}/);
  });
});

describe("发送测试 and the vendors' signatures", () => {
  it("signs DingTalk (加签, in the URL) and Feishu (签名校验, in the body) as their pages say, and answers with the robot's reply", async () => {
    robots.setSecret("ding-signed", "SECding-secret-1");
    robots.setSecret("feishu-signed", "feishu-secret-1");
    const ding = await createOk({ name: "钉钉", query: "", channel: { kind: "dingtalk", url: robots.url("dingtalk", "ding-signed"), secret: "SECding-secret-1" } });
    const feishu = await createOk({ name: "飞书", query: "", channel: { kind: "feishu", url: robots.url("feishu", "feishu-signed"), secret: "feishu-secret-1" } });
    const { test } = await routes();
    for (const s of [ding, feishu]) {
      const response = await test.POST(new Request(`${URL_BASE}/${s.id}/test`, as(ADMIN, "POST")), context(s.id));
      const reply = (await response.json()) as TestDelivery;
      expect(response.status).toBe(200);
      expect(reply).toMatchObject({ ok: true, status: 200, error: null });
    }
    expect(robots.for("ding-signed")[0]).toMatchObject({ signatureValid: true, body: { msgtype: "markdown", markdown: { title: "线索台测试消息 · 钉钉" } } });
    expect(robots.for("feishu-signed")[0]).toMatchObject({ signatureValid: true, body: { msg_type: "post" } });
    expect(JSON.parse(robots.for("ding-signed")[0]!.raw)).not.toHaveProperty("sign");

    // The wrong secret: the robot refuses, and the test answers with its reply.
    const { item } = await routes();
    await item.PATCH(new Request(`${URL_BASE}/${ding.id}`, as(ADMIN, "PATCH", { channel: { kind: "dingtalk", url: robots.url("dingtalk", "ding-signed"), secret: "SECwrong" } })), context(ding.id));
    const refused = (await (await test.POST(new Request(`${URL_BASE}/${ding.id}/test`, as(ADMIN, "POST")), context(ding.id))).json()) as TestDelivery;
    expect(refused).toMatchObject({ ok: false, error: "errcode 310000: sign not match" });
    expect(refused.reply).toContain("sign not match");
    expect((await test.POST(new Request(`${URL_BASE}/${ding.id}/test`, as(OTHER, "POST")), context(ding.id))).status).toBe(403);
  });
});

async function deleteSubscription(id: string): Promise<void> {
  const { item } = await routes();
  expect((await item.DELETE(new Request(`${URL_BASE}/${id}`, as(ADMIN, "DELETE")), context(id))).status).toBe(204);
}
