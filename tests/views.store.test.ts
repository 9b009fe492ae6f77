import { encode } from "next-auth/jwt";
import { credentialDigest } from "@/lib/auth/session";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_VIEWS_PER_CLIENT, type SavedView, type SavedViewList } from "@/lib/views/schema";
import { useRouteServer } from "./support/route-server";

/**
 * The saved views API through its route handlers, on this file's own lead store (PGlite, or PostgreSQL with
 * TEST_POSTGRES_URL): per browser with sign-in off, per user with it on. No Tanma call is involved.
 */

type Routes = {
  list: typeof import("@/app/api/views/route");
  item: typeof import("@/app/api/views/[id]/route");
};

async function loadRoutes(): Promise<Routes> {
  return { list: await import("@/app/api/views/route"), item: await import("@/app/api/views/[id]/route") };
}

function client(routes: Routes, cookie?: string) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(cookie === undefined ? {} : { cookie }), ...extra });
  const jsonInit = (method: string, body: unknown) => ({
    method,
    headers: headers({ "content-type": "application/json" }),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const context = (id: string) => ({ params: Promise.resolve({ id }) });
  return {
    list: () => routes.list.GET(new Request("http://localhost/api/views", { headers: headers() }), undefined),
    create: (body: unknown, init?: RequestInit) =>
      routes.list.POST(new Request("http://localhost/api/views", { ...jsonInit("POST", body), ...init }), undefined),
    rename: (id: string, body: unknown) => routes.item.PATCH(new Request(`http://localhost/api/views/${id}`, jsonInit("PATCH", body)), context(id)),
    remove: (id: string) => routes.item.DELETE(new Request(`http://localhost/api/views/${id}`, { method: "DELETE", headers: headers() }), context(id)),
  };
}

async function names(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  return ((await response.json()) as SavedViewList).views.map((v) => v.name);
}

async function errorOf(response: Response): Promise<{ status: number; error: string }> {
  return { status: response.status, error: ((await response.json()) as { error: string }).error };
}

describe("saved views with sign-in off: one browser's views, kept by an HttpOnly cookie", () => {
  let routes: Routes;
  let cookie = "";
  beforeAll(async () => {
    routes = await loadRoutes();
  });

  it("saves a view, sets the browser's cookie, and lists it for that browser only", async () => {
    const response = await client(routes).create({ name: "  高意向企业 ", query: "?type=2&order=desc&tag=t1&tag=t1&field=customer_stage:3" });
    expect(response.status).toBe(201);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^clue_desk_browser=[0-9a-f]{32}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    cookie = setCookie.split(";")[0]!;
    const view = (await response.json()) as SavedView;
    // Trimmed name; the query in its canonical form: defaults dropped, repeats merged.
    expect(view).toMatchObject({ name: "高意向企业", query: "type=2&tag=t1&field=customer_stage:3" });

    expect(await names(await client(routes, cookie).list())).toEqual(["高意向企业"]);
    expect(await names(await client(routes).list())).toEqual([]);
    expect(await names(await client(routes, "clue_desk_browser=" + "0".repeat(32)).list())).toEqual([]);
    // A second save from the same browser keeps its id: no new cookie.
    const second = await client(routes, cookie).create({ name: "待分配", query: "status=unassigned" });
    expect(second.status).toBe(201);
    expect(second.headers.get("set-cookie")).toBeNull();
    expect(await names(await client(routes, cookie).list())).toEqual(["待分配", "高意向企业"].sort((a, b) => a.localeCompare(b, "zh-CN")));
  });

  it("refuses bad input with a 400 and changes nothing", async () => {
    const me = client(routes, cookie);
    const before = await names(await me.list());
    const cases: [unknown, RegExp][] = [
      [{ name: "", query: "" }, /name must not be blank/],
      [{ name: "   ", query: "" }, /name must not be blank/],
      [{ name: "名".repeat(61), query: "" }, /at most 60 characters/],
      [{ query: "" }, /name is required/],
      [{ name: "x" }, /query is required/],
      [{ name: "x", query: "", extra: 1 }, /unknown parameter: extra/],
      [{ name: "x", query: "since=2024-01-01&before=2024-01-08" }, /unknown parameter since/],
      [{ name: "x", query: "utm_source=mail" }, /unknown parameter utm_source/],
      [{ name: "x", query: "type=3" }, /type 只能是 1/],
      [{ name: "x", query: "type=1&type=2" }, /"type" is given more than once/],
      [{ name: "x", query: "order=newest" }, /order 只能是/],
      [{ name: "x", query: `q=${"搜".repeat(51)}` }, /搜索词最多 50 个字/],
      [{ name: "x", query: "field=customer_stage" }, /筛选格式不对/],
      [{ name: "a\u0000b", query: "" }, /name must not contain control characters/],
      [{ name: "\u0007", query: "" }, /name must not contain control characters/],
      [{ name: "x", query: "q=%00" }, /control characters/],
      [{ name: "x", query: "q=a%01b" }, /control characters/],
      [{ name: "x", query: "tag=t1%00" }, /control characters/],
      [{ name: "x", query: "field=customer_stage:3%00" }, /control characters/],
      [{ name: "x", query: "__proto__=1" }, /unknown parameter __proto__/],
      ["{not json", /not valid JSON/],
      [[1, 2], /expected object/i],
    ];
    for (const [body, message] of cases) {
      const { status, error } = await errorOf(await me.create(body));
      expect({ body, status }).toEqual({ body, status: 400 });
      expect(error).toMatch(message);
    }
    const notJson = await me.create("name=x", { headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    expect(await errorOf(notJson)).toEqual({ status: 400, error: expect.stringMatching(/must be JSON/) });
    expect(await names(await me.list())).toEqual(before);
  });

  it("keeps names unique per browser (409), while another browser may use the same name", async () => {
    const duplicate = await client(routes, cookie).create({ name: "高意向企业 ", query: "type=1" });
    expect(await errorOf(duplicate)).toEqual({ status: 409, error: expect.stringContaining("高意向企业") });
    const elsewhere = await client(routes).create({ name: "高意向企业", query: "type=1" });
    expect(elsewhere.status).toBe(201);
  });

  it("renames and deletes its own views; another browser's view is a 404 to it", async () => {
    const me = client(routes, cookie);
    const stranger = client(routes, "clue_desk_browser=" + "f".repeat(32));
    const [view] = ((await (await me.list()).json()) as SavedViewList).views.filter((v) => v.name === "待分配");
    if (view === undefined) throw new Error("the view saved above is missing");

    expect((await stranger.rename(view.id, { name: "偷改" })).status).toBe(404);
    expect((await stranger.remove(view.id)).status).toBe(404);
    expect(await errorOf(await me.rename(view.id, { name: "高意向企业" }))).toMatchObject({ status: 409 });
    expect(await errorOf(await me.rename(view.id, { name: "" }))).toMatchObject({ status: 400 });
    expect(await errorOf(await me.rename(view.id, { name: "x", query: "" }))).toMatchObject({ status: 400 });
    expect((await me.rename("not-a-uuid", { name: "y" })).status).toBe(404);

    const renamed = await me.rename(view.id, { name: "待分配客户" });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: view.id, name: "待分配客户", query: "status=unassigned" });
    expect(await names(await me.list())).toContain("待分配客户");

    expect((await me.remove(view.id)).status).toBe(204);
    expect((await me.remove(view.id)).status).toBe(404);
    expect(await names(await me.list())).toEqual(["高意向企业"]);
  });
});

describe("saved views with sign-in off, over a socket from client addresses", () => {
  const server = useRouteServer();
  const create = (name: string, localAddress: string, headers: Record<string, string> = {}) =>
    server().send("/api/views", { method: "POST", localAddress, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ name, query: "type=1" }) });

  it("caps the views saved from one client address, however many cookie-less browsers it claims to be", async () => {
    // Each request without the cookie is a new browser, so the per-owner cap alone never held one client back.
    for (let n = 0; n < MAX_VIEWS_PER_CLIENT; n++) {
      const reply = await create(`视图 ${n}`, "127.0.0.80");
      expect(reply.status, reply.body).toBe(201);
    }
    const over = await create("one too many", "127.0.0.80");
    expect(over.status).toBe(400);
    expect(JSON.parse(over.body)).toEqual({ error: expect.stringContaining(`at most ${MAX_VIEWS_PER_CLIENT} views from one client address`) });
    // A browser that already has an id is held back from that address too; another address is not.
    const browser = String((await create("mine", "127.0.0.81")).headers["set-cookie"]).split(";")[0]!;
    expect((await create("still one too many", "127.0.0.80", { cookie: browser })).status).toBe(400);
    expect((await create("elsewhere", "127.0.0.82")).status).toBe(201);
  });

  it("refuses a chunked body over the cap with 413 as soon as it passes the cap", async () => {
    const totalBytes = 64 * 1024 * 1024;
    const reply = await server().streamBody("/api/views", { totalBytes, headers: { "content-type": "application/json" }, localAddress: "127.0.0.83" });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.stringContaining("the body is too large") });
    expect(reply.sentBytes).toBeLessThan(totalBytes / 4);
  });
});

describe("saved views with sign-in on: one user's views", () => {
  const SECRET = "s".repeat(40);
  let routes: Routes;
  const HASH = "scrypt.15.8.1.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  // A session names a configured user and the password hash it signed in with (lib/auth/session.ts).
  const session = async (name: string) =>
    `next-auth.session-token=${await encode({ token: { sub: name, name, provider: "credentials", credential: credentialDigest(HASH) }, secret: SECRET })}`;

  beforeAll(async () => {
    vi.stubEnv("CLUE_DESK_AUTH", "on");
    vi.stubEnv("CLUE_DESK_USERS", `alice:${HASH},bob:${HASH}`);
    vi.stubEnv("NEXTAUTH_SECRET", SECRET);
    vi.stubEnv("NEXTAUTH_URL", "http://127.0.0.1:3000");
    // The routes read the sign-in configuration once per module graph: load them anew under this environment.
    vi.resetModules();
    routes = await loadRoutes();
  });
  afterAll(() => vi.unstubAllEnvs());

  it("needs a session, and keeps each user's views to that user", async () => {
    expect((await client(routes).list()).status).toBe(401);
    const alice = client(routes, await session("alice"));
    const bob = client(routes, await session("bob"));
    const saved = await alice.create({ name: "我的视图", query: "status=clue" });
    expect(saved.status).toBe(201);
    expect(saved.headers.get("set-cookie")).toBeNull();
    const view = (await saved.json()) as SavedView;

    expect(await names(await alice.list())).toEqual(["我的视图"]);
    expect(await names(await bob.list())).toEqual([]);
    expect((await bob.rename(view.id, { name: "x" })).status).toBe(404);
    expect((await bob.remove(view.id)).status).toBe(404);
    expect((await bob.create({ name: "我的视图", query: "" })).status).toBe(201);
    expect((await alice.remove(view.id)).status).toBe(204);
  });
});
