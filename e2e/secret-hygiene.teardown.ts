import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test as teardown, expect } from "@playwright/test";
import type { ClueListResponse } from "../lib/clues/schema";
import { addDays, chinaToday } from "./pages/api";
import { E2E_APP_KEY, E2E_APP_LOG, E2E_SIMULATOR_LOG, E2E_STORAGE_STATE } from "./support/tenant";
import { resetSimulatorKnobs, setSimulatorKnobs } from "./support/simulator";

/**
 * Runs after every other project (it is the `setup` project's teardown, so also after failures). The build
 * saw the app key (e2e/support/build.ts); the browser's responses were checked in every test (fixtures.ts).
 * Here: the build output, a sweep of pages and API answers including errors, and both servers' logs.
 */

const needles = [E2E_APP_KEY, Buffer.from(E2E_APP_KEY).toString("base64"), encodeURIComponent(E2E_APP_KEY)];
/** A Tanma sign is a sha256 hex digest; nothing that looks like one belongs in a log or a data answer. */
const SIGN_LIKE = /\b[0-9a-f]{64}\b/i;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function leaksIn(text: string | Buffer): string[] {
  return needles.filter((n) => text.includes(n));
}

teardown("the app key is in no bundle, page, API answer or log line", async ({ playwright, baseURL }) => {
  // 1. The build: every file the browser can fetch, and the server build too (a key baked in would ship).
  const buildFiles = [...filesUnder(".next/static"), ...filesUnder(".next/server")];
  expect(buildFiles.length).toBeGreaterThan(10);
  const inBuild = buildFiles.filter((file) => leaksIn(readFileSync(file)).length > 0);
  expect(inBuild, "build files containing the app key").toEqual([]);

  // 2. Pages and API answers, signed in and out, including upstream failures and bad input.
  const signedIn = await playwright.request.newContext({ baseURL, storageState: E2E_STORAGE_STATE });
  const signedOut = await playwright.request.newContext({ baseURL });
  const today = chinaToday();
  const week = new URLSearchParams({ since: addDays(today, -6), before: addDays(today, 1), size: "5" }).toString();
  const list = (await (await signedIn.get(`/api/clues?${week}`)).json()) as ClueListResponse;
  const clue = list.items[0];
  expect(clue, "a clue to look at").toBeDefined();
  const paths = [
    "/clues",
    `/clues/${clue!.customerId}`,
    ...(clue!.company ? [`/companies/${clue!.company.id}`] : []),
    "/api/dictionary",
    `/api/clues?${week}`,
    `/api/clues/${clue!.customerId}`,
    `/api/clues/${clue!.customerId}/follow-ups`,
    "/api/clues/0",
    "/api/clues/999999999",
    "/api/clues?since=nope",
    "/api/auth/session",
    "/api/auth/providers",
  ];
  const seen: { path: string; status: number; text: string }[] = [];
  const fetchAll = async (label: string) => {
    for (const path of paths) {
      for (const [who, ctx] of [["in", signedIn], ["out", signedOut]] as const) {
        const res = await ctx.get(path, { maxRedirects: 0 });
        const text = JSON.stringify(res.headers()) + (await res.text());
        seen.push({ path: `${label} ${who} ${path}`, status: res.status(), text });
      }
    }
  };
  await fetchAll("ok");
  for (const errorMode of ["business", "http503"] as const) {
    await setSimulatorKnobs({ errorRate: 1, errorMode });
    await fetchAll(errorMode);
  }
  await resetSimulatorKnobs();
  const login = await signedOut.get("/login");
  seen.push({ path: "/login", status: login.status(), text: await login.text() });
  expect(seen.some((s) => s.status >= 500 || s.status === 502), "upstream failures were exercised").toBe(true);
  const leakyAnswers = seen.filter((s) => leaksIn(s.text).length > 0).map((s) => s.path);
  expect(leakyAnswers, "answers containing the app key").toEqual([]);
  const signLike = seen.filter((s) => !s.path.includes("/api/auth/") && SIGN_LIKE.test(s.text)).map((s) => s.path);
  expect(signLike, "answers containing something shaped like a Tanma sign").toEqual([]);
  await signedIn.dispose();
  await signedOut.dispose();

  // 3. Every line both servers logged during the run.
  await new Promise((resolve) => setTimeout(resolve, 500)); // let the log writers flush
  for (const file of [E2E_APP_LOG, E2E_SIMULATOR_LOG]) {
    const log = readFileSync(file, "utf8");
    expect(log.length, `${file} captured something`).toBeGreaterThan(0);
    const lines = log.split("\n");
    expect(lines.filter((l) => leaksIn(l).length > 0), `${file}: lines with the app key`).toEqual([]);
    expect(lines.filter((l) => SIGN_LIKE.test(l)), `${file}: lines with a sign`).toEqual([]);
  }
  expect(readFileSync(E2E_APP_LOG, "utf8")).toContain('"signIn":"required"');
});
