import { METHODS, request as httpRequest } from "node:http";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { addDays, chinaToday } from "@/lib/china-time";
import { type FuzzRequest, fuzzRequest, isApiPath } from "@/tests/support/fuzz-requests";

/**
 * `npm run fuzz -- --base http://127.0.0.1:3000 [--requests 50000] [--concurrency 8] [--user NAME --password PW]
 * [--secret APP_KEY] [--seed N]`: the property tests' request generator (tests/support/fuzz-requests.ts), pages
 * and odd methods included, sent at length to a running server, e.g. a production build (`next start`). Signs
 * in first when given a user, so requests carry a real session too. Counts answers by status, and fails
 * (exit 1) on any 5xx, any answer without the security headers, or any answer carrying `--secret`. Start the
 * server with `API_RATE_LIMIT_RPS=0` and a high `TANMA_MAX_RPS`, or most requests only meet the limits.
 */

const { values } = parseArgs({
  options: {
    base: { type: "string" },
    requests: { type: "string", default: "50000" },
    concurrency: { type: "string", default: "8" },
    user: { type: "string" },
    password: { type: "string" },
    secret: { type: "string" },
    seed: { type: "string" },
  },
});
if (!values.base) {
  console.error("usage: npm run fuzz -- --base http://127.0.0.1:3000 [--requests 50000] [--concurrency 8] [--user NAME --password PW] [--secret APP_KEY] [--seed N]");
  process.exit(2);
}
const base = new URL(values.base);
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function send({ method, path, headers, body }: FuzzRequest): Promise<Reply | "closed"> {
  // Node's client frames a DELETE or OPTIONS body only when told its length.
  const framed = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
  return new Promise((resolve) => {
    const req = httpRequest({ host: base.hostname, port: base.port, method, path, headers: framed, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", () => resolve("closed"));
    });
    // The server may close the connection on a request it will not parse (CONNECT, a method Node does not know).
    req.on("error", () => resolve("closed"));
    req.on("timeout", () => req.destroy());
    req.end(body);
  });
}

const cookiesOf = (reply: Reply) =>
  [reply.headers["set-cookie"] ?? []]
    .flat()
    .map((c) => c.split(";")[0]!)
    .join("; ");

async function signIn(user: string, password: string): Promise<string> {
  const csrf = await send({ method: "GET", path: "/api/auth/csrf", headers: {} });
  if (csrf === "closed") throw new Error("no answer from /api/auth/csrf");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const reply = await send({
    method: "POST",
    path: "/api/auth/callback/credentials",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
    body: new URLSearchParams({ username: user, password, csrfToken, json: "true" }).toString(),
  });
  if (reply === "closed") throw new Error("no answer to the sign-in");
  const session = cookiesOf(reply)
    .split("; ")
    .find((c) => c.includes("session-token="));
  if (session === undefined) throw new Error(`sign-in as ${user} failed: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
  return session;
}

const sessionCookie = values.user ? await signIn(values.user, values.password ?? "") : "";
const today = chinaToday();
const firstPage = await send({ method: "GET", path: `/api/clues?since=${addDays(today, -6)}&before=${addDays(today, 1)}&size=5`, headers: { cookie: sessionCookie } });
const cursor = firstPage !== "closed" && firstPage.status === 200 ? (JSON.parse(firstPage.body) as { nextCursor: string | null }).nextCursor : null;

const arbitrary = fuzzRequest({
  sessionCookie,
  selfOrigin: base.origin,
  cursors: cursor ? [cursor] : [],
  pages: true,
  extraMethods: ["CONNECT", "PROPFIND", "TRACK", "BREW"],
});

const statuses = new Map<string, number>();
const closedByMethod = new Map<string, number>();
const fiveXx: string[] = [];
const withoutHeaders: string[] = [];
const leaks: string[] = [];
const nonJsonApiErrors: string[] = [];
let sent = 0;
const started = performance.now();
const BATCH = 1000;

async function worker(queue: FuzzRequest[]) {
  for (let request = queue.pop(); request !== undefined; request = queue.pop()) {
    const reply = await send(request);
    sent++;
    const what = `${request.method} ${request.path}`;
    if (reply === "closed") {
      statuses.set("closed", (statuses.get("closed") ?? 0) + 1);
      closedByMethod.set(request.method, (closedByMethod.get(request.method) ?? 0) + 1);
      continue;
    }
    statuses.set(String(reply.status), (statuses.get(String(reply.status)) ?? 0) + 1);
    if (reply.status >= 500 && fiveXx.length < 50) fiveXx.push(`${what} → ${reply.status} ${reply.body.slice(0, 120)}`);
    // A method Node's HTTP parser does not know is answered 400 by Node itself, before any code of ours.
    const answeredByNode = !METHODS.includes(request.method);
    if (reply.headers["x-content-type-options"] !== "nosniff" && !answeredByNode && withoutHeaders.length < 50) {
      withoutHeaders.push(`${what} → ${reply.status}`);
    }
    if (values.secret && (reply.body.includes(values.secret) || JSON.stringify(reply.headers).includes(values.secret))) leaks.push(what);
    if (isApiPath(request.path) && !answeredByNode && request.method !== "HEAD" && [400, 401, 403, 404, 413, 429].includes(reply.status)) {
      let error: unknown;
      try {
        error = (JSON.parse(reply.body) as { error?: unknown }).error;
      } catch {
        error = undefined;
      }
      if (typeof error !== "string" && nonJsonApiErrors.length < 50) nonJsonApiErrors.push(`${what} → ${reply.status}`);
    }
  }
}

for (let batch = 0; sent < total; batch++) {
  const queue = fc.sample(arbitrary, { numRuns: Math.min(BATCH, total - sent), seed: seed + batch });
  await Promise.all(Array.from({ length: concurrency }, () => worker(queue)));
  process.stderr.write(`\r${sent} / ${total} requests, ${Math.round(sent / ((performance.now() - started) / 1000))} req/s`);
}
process.stderr.write("\n");

const byClass = { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, closed: statuses.get("closed") ?? 0 };
for (const [status, count] of statuses) {
  if (status !== "closed") byClass[`${status[0]}xx` as keyof typeof byClass] += count;
}
const summary = {
  base: base.origin,
  seed,
  requests: sent,
  seconds: Math.round((performance.now() - started) / 1000),
  signedIn: sessionCookie !== "",
  byClass,
  byStatus: Object.fromEntries([...statuses].sort((a, b) => b[1] - a[1])),
  closedByMethod: Object.fromEntries(closedByMethod),
  fiveXx,
  withoutSecurityHeaders: withoutHeaders,
  nonJsonApiErrors,
  secretLeaks: leaks,
};
console.info(JSON.stringify(summary, null, 2));
process.exit(byClass["5xx"] > 0 || withoutHeaders.length > 0 || leaks.length > 0 || nonJsonApiErrors.length > 0 ? 1 : 0);
