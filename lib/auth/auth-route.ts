import "server-only";
import NextAuth from "next-auth";
import { readBodyText, TOO_LARGE_HEADERS } from "@/lib/api/request-body";
import { json } from "@/lib/api/respond";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { type AuthConfig, authConfig, USER_NAME } from "@/lib/auth/config";
import { buildAuthOptions } from "@/lib/auth/options";
import { signInGuards } from "@/lib/auth/sign-in-throttle";
import { copy } from "@/lib/copy";
import { clientAddress } from "@/lib/security/client-address";
import type { AuditEventInput } from "@/lib/audit/schema";
import { recordAudit } from "@/lib/audit/trail";

/**
 * Auth.js's endpoints (sign-in, callbacks, session, CSRF, sign-out), outside `handleApiRoute` because they are
 * how a user gets a session. Auth.js is driven through its Node handler with a request this module has read
 * and checked itself, so that no input reaches it in a shape it fails on with a 500:
 *
 * - the body is read here, at most `MAX_BODY_BYTES` (a larger one, chunked or not, is a 413 before the rest is
 *   read); a JSON body that does not parse is a 400, and only string fields go on (Auth.js's App Router adapter
 *   threw on a non-JSON body sent as JSON);
 * - `callbackUrl` (query, body, cookie) becomes a same-origin path (an invalid one was a 500);
 * - `error` must be one of Auth.js's error codes (non-Latin-1 text in its redirect was a 500).
 *
 * Only the endpoints Auth.js serves reach it (`ACTIONS`, with a configured provider where one is named); it
 * answers others with a 500 (`GET callback/credentials`), so they get a 404 or 405 here. `_log`, Auth.js's sink
 * for client-side errors, is closed: it wrote whatever anyone posted into the server log.
 * Every other POST Auth.js accepts (sign-in, credentials callback, sign-out, session update) checks its own
 * double-submit CSRF token, so the API gate's origin check is not repeated here.
 *
 * Password sign-ins (`POST callback/credentials`) are throttled per user name and per client, with growing
 * lock-outs, and each failure is logged with the user name (when it is a valid one) and the client's address
 * (lib/auth/sign-in-throttle.ts).
 */

type Required = Extract<AuthConfig, { required: true }>;
type Context = { params: Promise<{ nextauth?: string[] }> };
type Fields = Record<string, string>;

/** A sign-in form is a CSRF token, a name, a password and a callback path: a few hundred bytes. */
const MAX_BODY_BYTES = 8 * 1024;

/** Auth.js's endpoints: `/api/auth/<action>[/<provider id>]` and the methods each takes. */
const ACTIONS: Record<string, { methods: readonly string[]; provider: "none" | "optional" | "required" }> = {
  providers: { methods: ["GET"], provider: "none" },
  csrf: { methods: ["GET"], provider: "none" },
  session: { methods: ["GET", "POST"], provider: "none" },
  signin: { methods: ["GET", "POST"], provider: "optional" },
  signout: { methods: ["GET", "POST"], provider: "none" },
  callback: { methods: ["GET", "POST"], provider: "required" },
  "verify-request": { methods: ["GET"], provider: "none" },
  error: { methods: ["GET"], provider: "none" },
};

/** Why Auth.js must not see this path, as the answer to give; undefined when it is one of its endpoints. */
function unservedPath(segments: readonly string[], method: string, providers: ReadonlySet<string>): Response | undefined {
  const notFound = () => json({ error: "没有这个接口 (no such API endpoint)" }, 404);
  const [action = "", provider] = segments;
  const served = Object.hasOwn(ACTIONS, action) ? ACTIONS[action]! : undefined;
  if (served === undefined || segments.length > 2) return notFound();
  if (provider === undefined ? served.provider === "required" : served.provider === "none" || !providers.has(provider)) return notFound();
  // The password callback is a form POST; Auth.js has no GET for it.
  const methods = action === "callback" && provider === "credentials" ? ["POST"] : served.methods;
  if (!methods.includes(method)) return json({ error: "不支持该请求方法 (method not allowed)" }, 405, { allow: methods.join(", ") });
  return undefined;
}
/** Auth.js's error codes (`CredentialsSignin`, `OAuthCallback`, …). */
const AUTH_ERROR_CODE = /^[A-Za-z]{1,64}$/;

function cookieNames(config: Required) {
  const prefix = config.secureCookies ? "__Secure-" : "";
  return { session: `${prefix}next-auth.session-token`, callbackUrl: `${prefix}next-auth.callback-url` };
}

function parseCookies(header: string | null): Fields {
  const cookies: Fields = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const value = part.slice(eq + 1).trim();
    try {
      cookies[part.slice(0, eq).trim()] = decodeURIComponent(value);
    } catch {
      cookies[part.slice(0, eq).trim()] = value;
    }
  }
  return cookies;
}

function stringFields(value: unknown): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The POST body as Auth.js reads it (JSON or a form), or the 4xx answer for one that cannot be read. */
async function readBody(request: Request): Promise<Fields | Response> {
  const text = await readBodyText(request, MAX_BODY_BYTES);
  if (text === null) return json({ error: "请求体过大 (request body too large)" }, 413, TOO_LARGE_HEADERS);
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      return stringFields(JSON.parse(text));
    } catch {
      return json({ error: "请求体不是有效的 JSON (malformed JSON body)" }, 400);
    }
  }
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  return {};
}

/** Header values must be Latin-1; anything beyond is percent-encoded, as it would be in a URL. */
const latin1 = (value: string) => value.replace(/[^\x00-\xff]/g, (c) => encodeURIComponent(c));

/** Collects what Auth.js's Node handler writes (the subset of Node's response it uses) into a fetch `Response`. */
class CollectedResponse {
  statusCode = 200;
  readonly headers = new Headers();
  readonly cookies: string[] = [];
  body: string | null = null;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    return name.toLowerCase() === "set-cookie" ? this.cookies : (this.headers.get(name) ?? undefined);
  }
  setHeader(name: string, value: string | string[]) {
    if (name.toLowerCase() === "set-cookie") this.cookies.splice(0, this.cookies.length, ...[value].flat().map(latin1));
    else this.headers.set(name, latin1(String(value)));
    return this;
  }
  json(value: unknown) {
    this.headers.set("content-type", "application/json");
    this.body = JSON.stringify(value);
  }
  send(value: unknown) {
    if (typeof value === "string") this.body = value;
    else if (value !== undefined && value !== null) this.json(value);
  }
  end() {}

  /** Where Auth.js sends the browser: the Location of a redirect, or the `url` of a JSON sign-in answer. */
  redirectTarget(): string | undefined {
    const location = this.headers.get("location");
    if (location !== null) return location;
    if (this.body === null || this.headers.get("content-type") !== "application/json") return undefined;
    const url: unknown = (JSON.parse(this.body) as { url?: unknown }).url;
    return typeof url === "string" ? url : undefined;
  }

  toResponse(): Response {
    const headers = new Headers(this.headers);
    for (const cookie of this.cookies) headers.append("set-cookie", cookie);
    // A wrong password answers a JSON sign-in with 401, which browsers log as a console error; the login page
    // reads the error from the returned URL instead, so answer 200 like every other JSON sign-in outcome.
    const status = this.statusCode === 401 && headers.get("content-type") === "application/json" ? 200 : this.statusCode;
    return new Response(this.body, { status, headers });
  }
}

/**
 * A sign-in's audit event. The outcome is already decided, so a store that cannot record it does not undo it:
 * the failure is logged (with the event's own log line missing, operators see which one).
 */
async function auditSignIn(event: AuditEventInput): Promise<void> {
  await recordAudit(event).catch((error: unknown) =>
    console.error(JSON.stringify({ event: "audit_write_failed", action: event.action, user: event.actor, client: event.client, error: (error as Error).message })),
  );
}

/** A user name fit for a log line: a valid one as it is, anything else not at all. */
const loggableUser = (name: string) => (USER_NAME.test(name) ? name : null);

export async function handleAuthRoute(request: Request, context: Context): Promise<Response> {
  const config = authConfig();
  if (!config.required) return json({ error: "sign-in is off" }, 404);
  const segments = (await context.params).nextauth ?? [];
  const [action] = segments;
  const options = buildAuthOptions(config);
  const refused = unservedPath(segments, request.method, new Set(options.providers.map((p) => p.id)));
  if (refused !== undefined) return refused;

  let body: Fields | undefined;
  if (request.method === "POST") {
    const read = await readBody(request);
    if (read instanceof Response) return read;
    body = read;
  }
  const url = new URL(request.url);
  const query: Fields = Object.fromEntries(url.searchParams);
  const cookies = parseCookies(request.headers.get("cookie"));
  const names = cookieNames(config);
  if (query.callbackUrl !== undefined) query.callbackUrl = safeCallbackPath(query.callbackUrl, config.appUrl);
  if (body?.callbackUrl !== undefined) body.callbackUrl = safeCallbackPath(body.callbackUrl, config.appUrl);
  if (cookies[names.callbackUrl] !== undefined) cookies[names.callbackUrl] = safeCallbackPath(cookies[names.callbackUrl], config.appUrl);
  if (query.error !== undefined && !AUTH_ERROR_CODE.test(query.error)) query.error = "Default";

  const passwordSignIn = request.method === "POST" && action === "callback" && segments[1] === "credentials";
  const userName = (body?.username ?? "").trim();
  // Longer names cannot be users (USER_NAME), so counting them under their first 64 characters loses nothing.
  const userKey = userName.slice(0, 64);
  const client = clientAddress(request.headers) ?? "unknown";
  const { throttle, gate } = signInGuards(config.signInThrottle);
  if (passwordSignIn) {
    const retryAfter = await throttle.retryAfterSeconds(userKey, client);
    // Not logged one by one (a flood would flood the log): the failure that set a lock was logged with it.
    if (retryAfter > 0 || gate.full) {
      const seconds = Math.max(1, retryAfter);
      return json({ error: copy.auth.signInThrottled(seconds), url: `${config.appUrl}/login?error=SignInThrottled` }, 429, {
        "retry-after": String(seconds),
      });
    }
  }

  const response = new CollectedResponse();
  await NextAuth(
    { method: request.method, query: { ...query, nextauth: segments }, body, cookies, headers: Object.fromEntries(request.headers) } as never,
    response as never,
    options,
  );

  if (passwordSignIn) {
    const signedIn = response.cookies.some((cookie) => {
      const [name = "", value = ""] = (cookie.split(";")[0] ?? "").split("=");
      return (name === names.session || name.startsWith(`${names.session}.`)) && value !== "";
    });
    if (signedIn) {
      await throttle.recordSuccess(userKey, client);
      await auditSignIn({ action: "sign_in", actor: userName, client, detail: { provider: "credentials" } });
    } else if (response.redirectTarget()?.includes("error=CredentialsSignin")) {
      const lockedSeconds = await throttle.recordFailure(userKey, client);
      await auditSignIn({ action: "sign_in_failed", actor: loggableUser(userName), client, detail: { provider: "credentials", lockedSeconds } });
    }
  }
  return response.toResponse();
}
