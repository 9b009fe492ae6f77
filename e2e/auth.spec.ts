import type { Browser } from "@playwright/test";
import { copy } from "../lib/copy";
import { expect, newClockedContext, test } from "./support/fixtures";
import { E2E_USERS } from "./support/tenant";

/** Sign-in, sign-out, the API gate, the per-user rate limit and the security headers, in real-tenant mode. */

const bob = E2E_USERS.bob;

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a page sends you to the login page; a wrong password is refused; the right one lands on the page", async ({ page }) => {
    await page.goto("/clues?type=2");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fclues%3Ftype%3D2$/);
    await expect(page.getByRole("heading", { name: copy.auth.loginTitle })).toBeVisible();

    await page.getByLabel(copy.auth.username).fill(bob.name);
    await page.getByLabel(copy.auth.password).fill("not-the-password");
    await page.getByRole("button", { name: copy.auth.submit, exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: copy.auth.badCredentials })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    const cookies = await page.context().cookies();
    expect(cookies.some((c) => c.name.includes("session-token"))).toBe(false);

    await page.getByLabel(copy.auth.password).fill(bob.password);
    await page.getByRole("button", { name: copy.auth.submit, exact: true }).click();
    await expect(page).toHaveURL(/\/clues\?type=2$/);
    await expect(page.getByText(copy.auth.signedInAs(bob.name))).toBeVisible();
    const session = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
    expect(session, "session cookie").toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe("Lax");
  });

  test("every API route answers 401 JSON without a session; Auth.js's own endpoints stay reachable", async ({ request }) => {
    for (const path of ["/api/dictionary", "/api/clues", "/api/clues/1", "/api/clues/1/follow-ups", "/api/no-such-endpoint"]) {
      const res = await request.get(path);
      expect(res.status(), path).toBe(401);
      expect(await res.json(), path).toEqual({ error: copy.auth.apiUnauthorized });
    }
    const session = await request.get("/api/auth/session");
    expect(session.status()).toBe(200);
    expect(await session.json()).toEqual({});
  });
});

async function signInAsBob(browser: Browser) {
  const context = await newClockedContext(browser, { storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel(copy.auth.username).fill(bob.name);
  await page.getByLabel(copy.auth.password).fill(bob.password);
  await page.getByRole("button", { name: copy.auth.submit, exact: true }).click();
  await expect(page).toHaveURL(/\/clues$/);
  return { context, page };
}

test("signing out ends the session for pages and the API", async ({ browser }) => {
  const { context, page } = await signInAsBob(browser);
  await page.getByRole("button", { name: copy.auth.signOut }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/clues");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fclues$/);
  expect((await context.request.get("/api/dictionary")).status()).toBe(401);
  await context.close();
});

test("hammering the API gets 429 with Retry-After, for that user only", async ({ browser, request }) => {
  const { context } = await signInAsBob(browser);
  const responses = await Promise.all(Array.from({ length: 80 }, () => context.request.get("/api/dictionary")));
  const limited = responses.filter((r) => r.status() === 429);
  expect(limited.length, "some requests are limited").toBeGreaterThan(0);
  expect(responses.filter((r) => r.status() === 200).length, "the burst gets through").toBeGreaterThanOrEqual(20);
  const retryAfter = Number(limited[0]!.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(await limited[0]!.json()).toEqual({ error: copy.auth.apiRateLimited(retryAfter) });
  // Another user (this suite's signed-in user) is not affected; bob is served again after Retry-After.
  expect((await request.get("/api/dictionary")).status()).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  expect((await context.request.get("/api/dictionary")).status()).toBe(200);
  await context.close();
});

test("pages and the API carry the security headers; every script has the request's nonce", async ({ page, request }) => {
  const first = await page.goto("/clues");
  const headers = first!.headers();
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  const scriptSrc = /script-src([^;]*)/.exec(csp)![1]!;
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(scriptSrc).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");

  // Every script the server sends carries the nonce. Chunks the runtime adds afterwards (code loaded on demand,
  // such as the arrivals chart) have none of their own: 'strict-dynamic' trusts them because a nonce'd script
  // inserted them, and one the CSP blocked would be a console error, which fails every spec.
  const scriptTags = (await first!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);

  const second = await request.get("/clues");
  expect(second.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);

  const api = await request.get("/api/dictionary");
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  const scriptUrl = await page.locator("script[src]").first().getAttribute("src");
  const asset = await request.get(scriptUrl!);
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
});
