import fc from "fast-check";
import { addDays, chinaToday } from "@/lib/china-time";

/**
 * Arbitrary HTTP requests against Clue Desk, for the property tests (`npm test`) and the long fuzz run against a
 * production build (scripts/fuzz.ts): any method, API and Auth.js paths (pages too, for the long run) with
 * well-formed and malformed percent-escapes, arbitrary queries (NUL and other control characters inside values,
 * keys of Object.prototype), bodies under any content type, valid, forged and garbage cookies, foreign origins
 * and forwarded-for headers. The path is raw: what goes on the wire.
 */

export type FuzzRequest = { method: string; path: string; headers: Record<string, string>; body?: string };

export type FuzzContext = {
  /** A `Cookie` header with a valid session (real-tenant mode), or "" when sign-in is off. */
  sessionCookie: string;
  /** The app's own origin, sent as `Origin` sometimes. */
  selfOrigin: string;
  /** Cursors the server really issued, so some requests carry one (also with other queries than its own). */
  cursors: string[];
  /** Page paths too (`/clues`, `/companies/…`, `/login`), for a real Next.js server. */
  pages: boolean;
  /** Methods beyond the usual ones; only for a real server (Node's parser answers unknown methods itself). */
  extraMethods?: string[];
};

export const MALFORMED_ESCAPES = ["%", "%E0%A4%A", "%ff", "%C0%AF", "%%", "%zz", "%E4%B8", "%F0%9F%98", "%u0041", "%ED%A0%80", "%c3"];

const malformed = fc.constantFrom(...MALFORMED_ESCAPES);
const text = fc.string({ unit: "grapheme", maxLength: 16 });
const encoded = text.map(encodeURIComponent);

/** NUL, the other C0 controls, DEL and C1 controls: what PostgreSQL cannot store (NUL) or no person types. */
const CONTROL_CHARACTERS = [..."\u0000\u0001\u0007\u0008\t\n\r\u001b\u001f\u007f\u0080\u0085\u009f"];
/** Text with control characters inside: plausible values (a search, a phone number, a tag id) around them. */
export const controlText = fc
  .tuple(
    fc.constantFrom("", "a", "138", "13800138000", "t1", "3", "张三", "erin"),
    // NUL, the one the store cannot take, a third of the time.
    fc.oneof({ arbitrary: fc.constant("\u0000"), weight: 1 }, { arbitrary: fc.constantFrom(...CONTROL_CHARACTERS), weight: 2 }),
    fc.constantFrom("", "b", "0013800", "x"),
  )
  .map((parts) => parts.join(""));
const encodedControl = controlText.map(encodeURIComponent);

/** One path segment: plausible ids and names, encoded arbitrary text, malformed escapes, or a mix. */
const segment = fc.oneof(
  fc.constantFrom("1", "100000000000001", "-1", "0x10", "9".repeat(25), "follow-ups", "phones", "clues", "%2e%2e", "..", ".", "%2F", "%00", "%20"),
  encoded.filter((s) => s.length > 0),
  malformed,
  fc.tuple(encoded, malformed, encoded).map((parts) => parts.join("")),
);

const apiPath = fc.oneof(
  fc.constantFrom("/api/clues", "/api/dictionary", "/api/", "/api", "/api//clues", "/api/clues/"),
  fc.constantFrom("/api/clues/facets", "/api/clues/export", "/api/audit", "/api/audit/export", "/api/audit/actors", "/api/views", "/api/sync", "/api/health"),
  segment.map((id) => `/api/views/${id}`),
  segment.map((id) => `/api/clues/${id}`),
  segment.map((id) => `/api/clues/${id}/follow-ups`),
  segment.map((id) => `/api/clues/${id}/phones`),
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/api/${s.join("/")}`),
);

const AUTH_ACTIONS = ["signin", "signout", "callback/credentials", "callback/oidc", "session", "csrf", "providers", "error", "_log", "verify-request", "signin/credentials"];
const authPath = fc.oneof(
  fc.constantFrom(...AUTH_ACTIONS).map((a) => `/api/auth/${a}`),
  fc.array(segment, { maxLength: 3 }).map((s) => `/api/auth/${s.join("/")}`),
  fc.tuple(fc.constantFrom(...AUTH_ACTIONS), segment).map(([a, s]) => `/api/auth/${a}/${s}`),
);

const pagePath = fc.oneof(
  fc.constantFrom("/", "/clues", "/login", "/companies", "/favicon.ico", "/icon.svg", "/_next/static/x.js", "/_next/image?url=%2Fx&w=1&q=1"),
  segment.map((id) => `/clues/${id}`),
  segment.map((id) => `/companies/${id}`),
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join("/")}`),
);

const QUERY_KEYS = [
  ...["since", "before", "type", "size", "cursor", "companyId", "q", "status", "order", "tag", "customer_stage", "format", "actor", "action"],
  ...["callbackUrl", "error", "csrf", "json", "provider", "name", "nextauth", "__proto__", "constructor", "toString"],
];

export function fuzzRequest(context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const day = fc.date({ min: new Date("2019-01-01"), max: new Date("2028-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const value = fc.oneof(
    day,
    fc.constantFrom("", "1", "2", "0", "-1", "100", "101", "1e2", "/\t/evil.example", "/\\evil.example", "https://evil.example", "true", "CredentialsSignin").map(encodeURIComponent),
    encoded,
    encodedControl,
    fc.constantFrom("%00", "a%00b", "%01", "%1B%5B31m", "%7F", "%C2%85", "138%0000138000"),
    malformed,
    ...(context.cursors.length > 0 ? [fc.constantFrom(...context.cursors).map(encodeURIComponent)] : []),
  );
  const key = fc.oneof(fc.constantFrom(...QUERY_KEYS), encoded, malformed);
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((list) => list.map(([k, v]) => `${k}=${v}`));
  // A valid range often, so that the other parameters reach the handlers' work rather than stop at the dates.
  const today = chinaToday();
  const range = fc.constantFrom(`since=${addDays(today, -6)}&before=${addDays(today, 1)}`, `since=${addDays(today, -1)}&before=${today}`);
  const query = fc
    .oneof(pairs, fc.tuple(range, pairs).map(([r, rest]) => [r, ...rest]))
    .map((parts) => (parts.length === 0 ? "" : `?${parts.join("&")}`));
  const path = fc.tuple(context.pages ? fc.oneof(apiPath, authPath, pagePath) : fc.oneof(apiPath, authPath), query).map(([p, q]) => p + q);

  const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", ...(context.extraMethods ?? [])];
  const method = fc.constantFrom(...methods);

  const field = fc.constantFrom("csrfToken", "username", "password", "callbackUrl", "json", "redirect", "code", "level", "data", "name", "query", "__proto__");
  const fieldValue = fc.oneof(text, controlText, fc.constantFrom("true", "/\t/evil.example", "e2e-alice", "q=%00", "tag=t1%01", "type=2&q=a%00"));
  const fields = fc.dictionary(field, fieldValue, { maxKeys: 5 });
  const body = fc.oneof(
    fc.constant(undefined),
    fc.string({ unit: "binary", maxLength: 200 }),
    fields.map((f) => JSON.stringify(f)),
    fields.map((f) => new URLSearchParams(f).toString()),
    fc.constantFrom("not json", "[1,2]", "null", '{"a":', "a=%ff&b=%E0%A4%A", "x".repeat(20_000)),
  );
  const contentType = fc.constantFrom(
    undefined,
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/json; charset=utf-16",
    "application/x-www-form-urlencoded; charset=latin1",
    ";;;",
  );
  const cookie = fc.constantFrom(
    undefined,
    context.sessionCookie || undefined,
    "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged",
    "next-auth.session-token=%%%; next-auth.callback-url=%E0%A4%A",
    "next-auth.callback-url=https%3A%2F%2Fevil.example; next-auth.csrf-token=abc%7Cdef",
    "=;;=;a",
  );
  const origin = fc.constantFrom(undefined, context.selfOrigin, "http://evil.example", "null", "http://127.0.0.1:1");
  const fetchSite = fc.constantFrom(undefined, "cross-site", "same-site", "same-origin", "none");
  const forwardedFor = fc.constantFrom(undefined, "203.0.113.7", "1.2.3.4, 10.0.0.1", "garbage, ,", "::1");

  return fc
    .record({ method, path, body, contentType, cookie, origin, fetchSite, forwardedFor })
    .map(({ method, path, body, contentType, cookie, origin, fetchSite, forwardedFor }) => {
      const headers: Record<string, string> = {};
      if (contentType !== undefined) headers["content-type"] = contentType;
      if (cookie !== undefined) headers.cookie = cookie;
      if (origin !== undefined) headers.origin = origin;
      if (fetchSite !== undefined) headers["sec-fetch-site"] = fetchSite;
      if (forwardedFor !== undefined) headers["x-forwarded-for"] = forwardedFor;
      const withBody = body !== undefined && method !== "GET" && method !== "HEAD";
      return { method, path, headers, ...(withBody ? { body } : {}) };
    });
}

/** Whether a path is one of the API's own routes (not Auth.js's), whose errors must be the API's JSON. */
export function isApiPath(path: string): boolean {
  // As the server resolves it: `/api/../x` and `/api/%2e%2e/x` are `/x`, a page.
  const { pathname } = new URL(path, "http://resolve.invalid");
  return /^\/api(\/|$)/.test(pathname) && !/^\/api\/auth(\/|$)/.test(pathname);
}
