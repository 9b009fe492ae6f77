import { createServer, type Server } from "node:http";
import type { Browser } from "@playwright/test";
import { copy } from "../lib/copy";
import { addDays, chinaToday, firstPage } from "./pages/api";
import { expect, newClockedContext, test } from "./support/fixtures";
import { E2E_APP_PORT, E2E_CROSS_SITE_PORT } from "./support/ports";
import { E2E_USERS } from "./support/tenant";

/**
 * What an outside attacker tried against the production build (issues 10 and 18), replayed against it: an
 * open redirect after sign-in, a page of another origin on the same host posting to the phone reveal or
 * following a link to an export, a user flooding live detail past their share of Tanma, and the paths,
 * methods and Auth.js inputs that made the server answer 500.
 */

const bob = E2E_USERS.bob;
const appOrigin = `http://127.0.0.1:${E2E_APP_PORT}`;

async function signInAsBobAt(browser: Browser, url: string) {
  const context = await newClockedContext(browser, { storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel(copy.auth.username).fill(bob.name);
  await page.getByLabel(copy.auth.password).fill(bob.password);
  await page.getByRole("button", { name: copy.auth.submit, exact: true }).click();
  return { context, page };
}

/** Issue 18: dot segments (also escaped), our own origin and backslashes that resolve to `//evil.example`. */
const resolvingToAnotherHost = ["/.//evil.example", "/..//evil.example", "/x/..//evil.example", "/%2e//evil.example", `${appOrigin}//evil.example`, "/.\\/evil.example", "/./\\evil.example", "/.%2f/evil.example"];

for (const hostile of ["%2F%09%2Fevil.example", "%2F%09%5Cevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example%2F", ...resolvingToAnotherHost.map(encodeURIComponent)]) {
  test(`after sign-in with callbackUrl=${hostile} the browser stays on the app`, async ({ browser }) => {
    const { context, page } = await signInAsBobAt(browser, `/login?callbackUrl=${hostile}`);
    await expect(page).toHaveURL(`${appOrigin}/clues`);
    await expect(page.getByText(copy.auth.signedInAs(bob.name))).toBeVisible();
    await context.close();
  });
}

test.describe("a page of another origin on the same host", () => {
  // The refused form post is the page's main document: Chromium logs its 403.
  test.use({ allowedConsoleErrors: [/status of 403 \(Forbidden\)/] });
  let attacker: Server;
  let customerId: string;

  test.beforeAll(async ({ request }) => {
    const today = chinaToday();
    customerId = (await firstPage(request, { since: addDays(today, -6), before: addDays(today, 1) })).items[0]!.customerId;
    // Same host, another port: the same site, so the SameSite=Lax session cookie goes along with its form.
    const week = new URLSearchParams({ since: addDays(today, -6), before: addDays(today, 1), format: "csv" });
    attacker = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      if (req.url === "/export") {
        // A link to an export, followed: it would be recorded under the signed-in user's name.
        res.end(`<!doctype html><a id="a" href="${appOrigin}/api/clues/export?${week}">x</a>
          <script>addEventListener("load", () => document.getElementById("a").click())</script>`);
        return;
      }
      res.end(`<!doctype html><form id="f" method="POST" action="${appOrigin}/api/clues/${customerId}/phones"></form>
        <script>addEventListener("load", () => document.getElementById("f").submit())</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(E2E_CROSS_SITE_PORT, "127.0.0.1", resolve));
  });
  test.afterAll(async () => {
    await new Promise((resolve) => attacker.close(resolve));
  });

  test("cannot reveal phone numbers with the signed-in user's session", async ({ page }) => {
    const reveal = page.waitForResponse((r) => r.url().endsWith(`/api/clues/${customerId}/phones`));
    await page.goto(`http://127.0.0.1:${E2E_CROSS_SITE_PORT}/`);
    const response = await reveal;
    expect(response.request().headers().cookie ?? (await response.request().allHeaders()).cookie, "the session cookie went along").toContain("next-auth.session-token");
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({ error: copy.auth.apiCrossOrigin });
    // From the app's own pages the same reveal works.
    await page.goto("/clues");
    const own = await page.evaluate(async (id) => {
      const response = await fetch(`/api/clues/${id}/phones`, { method: "POST" });
      await response.text(); // read, so the response completes (the fixture checks every body)
      return response.status;
    }, customerId);
    expect(own).toBe(200);
  });

  test("cannot start an export with the signed-in user's session; our own page's export still works", async ({ page }) => {
    const exported = page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/api/clues/export`));
    await page.goto(`http://127.0.0.1:${E2E_CROSS_SITE_PORT}/export`);
    const response = await exported;
    expect(response.request().headers()["sec-fetch-site"] ?? (await response.request().allHeaders())["sec-fetch-site"]).toBe("same-site");
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({ error: copy.auth.apiCrossOrigin });
    // From the app's own pages the same export works, as the export menu fetches it.
    await page.goto("/clues");
    const own = await page.evaluate(async (url) => {
      const response = await fetch(url);
      await response.arrayBuffer();
      return response.status;
    }, new URL(response.url()).pathname + new URL(response.url()).search);
    expect(own).toBe(200);
  });

  test("nor can a script sending a foreign Origin", async ({ request }) => {
    const response = await request.post(`/api/clues/${customerId}/phones`, { headers: { origin: "http://evil.example" } });
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({ error: copy.auth.apiCrossOrigin });
  });
});

test("paths and methods the router failed on get 4xx with the security headers", async ({ request }) => {
  for (const [path, status] of [
    ["/api/clues/%E0%A4%A", 400],
    ["/api/clues/%ff/follow-ups", 400],
    ["/api/x/%ff", 404],
    ["/clues/%E0%A4%A", 404],
    ["/companies/%ff", 404],
  ] as const) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(status);
    expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
    expect(response.headers()["content-security-policy"], path).toBeTruthy();
    if (path.startsWith("/api/")) expect(((await response.json()) as { error: string }).error, path).toEqual(expect.any(String));
  }
  const trace = await request.fetch("/api/dictionary", { method: "TRACE" });
  expect(trace.status()).toBe(405);
  expect(trace.headers()["x-frame-options"]).toBe("DENY");
  // A form post to a page is not taken for a server action (the app has none): 405, not a 409 and a stack trace.
  for (const path of ["/login", "/favicon.ico"]) {
    const pagePost = await request.post(path, { multipart: { x: "1" }, maxRedirects: 0 });
    expect(pagePost.status(), path).toBe(405);
    expect(pagePost.headers().allow, path).toBe("GET, HEAD");
  }
  // `/api` itself is the API's JSON answer, not a page.
  const api = await request.get("/api", { maxRedirects: 0 });
  expect(api.status()).toBe(404);
  expect(((await api.json()) as { error: string }).error).toEqual(expect.any(String));
});

test("Auth.js inputs that made it answer 500 are 4xx or a redirect home", async ({ request }) => {
  const json = await request.post("/api/auth/callback/credentials", { headers: { "content-type": "application/json" }, data: Buffer.from("not json") });
  expect(json.status()).toBe(400);
  const signin = await request.post("/api/auth/signin?callbackUrl=1", { maxRedirects: 0 });
  expect(signin.status()).toBe(302);
  const error = await request.get("/api/auth/error?error=%E7%BA%BF", { maxRedirects: 0 });
  expect(error.status()).toBe(302);
  expect(error.headers().location).toBe("/login?error=Default");
  const log = await request.post("/api/auth/_log", { data: { level: "error", code: '{"event":"audit_phone_reveal"}' } });
  expect(log.status()).toBe(404);
  const credentialsGet = await request.get("/api/auth/callback/credentials");
  expect(credentialsGet.status()).toBe(405);
});

test("a user flooding live detail past their share of Tanma gets 429 with Retry-After, never 500", async ({ browser, request }) => {
  const today = chinaToday();
  const { context, page } = await signInAsBobAt(browser, "/login");
  await expect(page).toHaveURL(`${appOrigin}/clues`);
  // A lead Tanma has now, so that every answer is its detail or a refusal.
  let id: string | undefined;
  for (const clue of (await firstPage(request, { since: addDays(today, -6), before: addDays(today, 1) })).items) {
    if ((await context.request.get(`/api/clues/${clue.customerId}`)).status() === 200) {
      id = clue.customerId;
      break;
    }
  }
  if (id === undefined) throw new Error("no lead of the last 7 days has a live detail");
  // About 30 a second for 8 seconds: past the API limit (20 a second) and, once admitted, past Tanma's budget
  // (10 a second, shared by users), so bob's queue grows beyond TANMA_MAX_WAIT_MS and the limiter refuses.
  const answers: Promise<{ status: number; retryAfter: string | undefined; error: string }>[] = [];
  for (let n = 0; n < 240; n++) {
    answers.push(
      context.request.get(`/api/clues/${id}`).then(async (r) => ({
        status: r.status(),
        retryAfter: r.headers()["retry-after"],
        error: r.status() === 200 ? "" : ((await r.json()) as { error: string }).error,
      })),
    );
    await new Promise((resolve) => setTimeout(resolve, 33));
  }
  const all = await Promise.all(answers);
  expect(all.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
  const limited = all.filter((a) => a.status === 429);
  expect(limited.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
  expect(limited.filter((a) => a.error.includes("upstream busy")).length, "refused by the Tanma limiter").toBeGreaterThan(0);
  // The flood drains: bob is served again.
  await expect.poll(async () => (await context.request.get(`/api/clues/${id}`)).status(), { timeout: 20_000 }).toBe(200);
  await context.close();
});
