// Ad-hoc measurements against a running production build (not committed).
import { request as httpRequest } from "node:http";
const base = new URL(process.argv[2] ?? "http://127.0.0.1:3300");
const mode = process.argv[3];
type R = { status: number; headers: Record<string, any>; body: string; ms: number };
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<R> {
  const t = performance.now();
  const h = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, method, path, headers: h }, (res) => {
      let b = ""; res.on("data", (c) => (b += c)); res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: b, ms: performance.now() - t }));
    });
    req.on("error", reject); req.end(body);
  });
}
const cookies = (r: R) => [r.headers["set-cookie"] ?? []].flat().map((c: string) => c.split(";")[0]).join("; ");
async function csrf() { const r = await send("GET", "/api/auth/csrf"); return { token: JSON.parse(r.body).csrfToken as string, cookie: cookies(r) }; }
async function signIn(user: string, pw: string, c: { token: string; cookie: string }) {
  return send("POST", "/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded", cookie: c.cookie }, new URLSearchParams({ username: user, password: pw, csrfToken: c.token, json: "true" }).toString());
}
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10; };
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const day = (d: number) => new Date(Date.parse(today) + d * 86400e3).toISOString().slice(0, 10);

if (mode === "signin") {
  const c = await csrf();
  const bob = await signIn("e2e-bob", "e2e-bob-pw-8823", await csrf());
  const bobCookie = cookies(bob).split("; ").find((x) => x.includes("session-token"))!;
  const quiet: number[] = [];
  let stop = false;
  const quietLoop = (async () => { while (!stop) { quiet.push((await send("GET", "/api/dictionary", { cookie: bobCookie })).ms); await new Promise((r) => setTimeout(r, 100)); } })();
  const baseline: number[] = [];
  for (let i = 0; i < 20; i++) baseline.push((await send("GET", "/api/dictionary", { cookie: bobCookie })).ms);
  const started = performance.now();
  const statuses: Record<number, number> = {};
  const retryAfters: string[] = [];
  // paced guesses (27/s like the probe) for 15 s, one client, one user name
  const rate = Number(process.argv[4] ?? 27);
  const pending: Promise<void>[] = [];
  while (performance.now() - started < 15_000) {
    pending.push(signIn("e2e-alice", "guess-" + Math.random(), c).then((r) => {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 429) retryAfters.push(r.headers["retry-after"]);
    }));
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  await Promise.all(pending);
  const right = await signIn("e2e-alice", "e2e-alice-pw-4471", c);
  stop = true; await quietLoop;
  console.log(JSON.stringify({ guesses: Object.values(statuses).reduce((a, b) => a + b, 0), statuses, retryAfterSeen: [...new Set(retryAfters)].slice(0, 20), rightPasswordWhileLocked: right.status, otherUserBaselineP50: pct(baseline, 0.5), otherUserDuringP50: pct(quiet, 0.5), otherUserDuringP95: pct(quiet, 0.95), otherUserDuringMax: pct(quiet, 1) }));
}

if (mode === "xff") {
  const run = async (withHeader: boolean) => {
    let limited = 0;
    for (let i = 0; i < 200; i++) {
      const r = await send("GET", "/api/dictionary", withHeader ? { "x-forwarded-for": `203.0.113.${i % 250}` } : {});
      if (r.status === 429) limited++;
    }
    return limited;
  };
  const without = await run(false);
  await new Promise((r) => setTimeout(r, 3000));
  const rotating = await run(true);
  console.log(JSON.stringify({ limitedOf200WithoutHeader: without, limitedOf200RotatingXff: rotating }));
}

if (mode === "fair") {
  const hog = cookies(await signIn("e2e-alice", "e2e-alice-pw-4471", await csrf())).split("; ").find((x) => x.includes("session-token"))!;
  const quietCookie = cookies(await signIn("e2e-bob", "e2e-bob-pw-8823", await csrf())).split("; ").find((x) => x.includes("session-token"))!;
  const page = (cookie: string, i: number) => send("GET", `/api/clues?since=${day(-1 - (i % 60))}&before=${day(-(i % 60))}&size=20`, { cookie });
  await page(quietCookie, 0);
  const baseline: number[] = [];
  for (let i = 0; i < 20; i++) baseline.push((await page(quietCookie, i)).ms);
  const hogStatuses: Record<number, number> = {};
  const quiet: number[] = [];
  const quietStatuses: Record<number, number> = {};
  const hogCalls: Promise<void>[] = [];
  const started = performance.now();
  let i = 0;
  const quietLoop = (async () => { let j = 0; while (performance.now() - started < 20_000) { const r = await page(quietCookie, j++); quiet.push(r.ms); quietStatuses[r.status] = (quietStatuses[r.status] ?? 0) + 1; await new Promise((r) => setTimeout(r, 500)); } })();
  while (performance.now() - started < 20_000) {
    hogCalls.push(page(hog, i++).then((r) => { hogStatuses[r.status] = (hogStatuses[r.status] ?? 0) + 1; }));
    await new Promise((r) => setTimeout(r, 1000 / 19));
  }
  await Promise.all(hogCalls); await quietLoop;
  console.log(JSON.stringify({ hogRequests: i, hogStatuses, quietBaselineP50: pct(baseline, 0.5), quietDuringP50: pct(quiet, 0.5), quietDuringP95: pct(quiet, 0.95), quietDuringMax: pct(quiet, 1), quietStatuses }));
}
