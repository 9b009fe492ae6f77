import "server-only";
import type { JsonAnswer } from "@/lib/api/json-answer";
import { create as contentDisposition } from "content-disposition";
import type { z } from "zod";
import type { ApiError } from "@/lib/clues/schema";
import { type ApiRefusal, type GuardOptions, guardApiRequest } from "@/lib/auth/guard";
import { TOO_LARGE_HEADERS } from "@/lib/api/request-body";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, TooManyRequestsError } from "@/lib/errors";
import { TanmaError, UpstreamBusyError } from "@/lib/tanma/errors";
import { metrics, secondsSince } from "@/lib/observability/metrics";

/**
 * The API's one way to answer and to fail. Every route handler runs inside `handleApiRoute`, so an input
 * problem is a 400 with a readable message, an upstream problem a 502/504 with Tanma's own code and message,
 * a caller over its share of Tanma's budget a 429, and anything else a 500 whose internal cause stays in the
 * server log. The errors themselves (lib/errors.ts) know nothing of HTTP; this is where each becomes a status,
 * told apart by its code (lib/coded-error.ts), never by `instanceof`.
 */

const NO_STORE = { "cache-control": "no-store" };

/** A file the browser downloads as it streams; its name says what it holds (RFC 6266 `filename*` plus an ASCII fallback). */
export function download(file: { body: ReadableStream<Uint8Array>; contentType: string; fileName: { name: string; fallback: string } }): Response {
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": contentDisposition(file.fileName.name, { fallback: file.fileName.fallback }),
      ...NO_STORE,
    },
  });
}

export function json<T>(body: T, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/**
 * A read the browser may keep and ask again for with `If-None-Match`: answered 304 without a body when what it
 * holds is still the answer. Kept in the user's browser only (`private`) and checked every time (`no-cache`):
 * phone numbers in it are masked. (Next compresses it: a route's own `Content-Encoding` is dropped by Next.)
 */
export function revalidatedJson(request: Request, answer: JsonAnswer): Response {
  const headers = { etag: answer.etag, "cache-control": "private, no-cache" };
  const held = request.headers.get("if-none-match");
  if (held !== null && held.split(",").some((tag) => tag.trim().replace(/^W\//, "") === answer.etag)) return new Response(null, { status: 304, headers });
  return new Response(answer.text, { headers: { ...headers, "content-type": "application/json" } });
}

function fail(status: number, body: ApiError, headers?: Record<string, string>): Response {
  return json(body, status, headers);
}

function refusalResponse({ status, error, retryAfterSeconds }: ApiRefusal): Response {
  return fail(status, { error }, retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) });
}

/**
 * Parses a route's query string with a schema; repeated or unknown parameters are errors, not guesses. A Map
 * collects them: in an object literal `__proto__`, `constructor` or `toString` were already "there".
 */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const query = new Map<string, string>();
  for (const [key, value] of new URL(request.url).searchParams) {
    if (query.has(key)) throw new BadRequestError(`parameter "${key.slice(0, 64)}" is given more than once`);
    query.set(key, value);
  }
  return parseInput(Object.fromEntries(query), schema);
}

export function parseInput<S extends z.ZodType>(input: unknown, schema: S): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === "unrecognized_keys") throw new BadRequestError(`unknown parameter: ${issue.keys.join(", ")}`);
  throw new BadRequestError(issue?.message ?? "invalid request");
}

/**
 * An unexpected error for the log: its name, the start of its message and the stack's frames. A message can
 * quote input (a JSON parser's does), so it is cut short and never logged whole.
 */
function describeInternalError(error: unknown) {
  if (!(error instanceof Error)) return { error: typeof error };
  const frames = (error.stack ?? "").split("\n").filter((line) => line.trimStart().startsWith("at ")).slice(0, 12);
  return { error: error.name, message: error.message.slice(0, 120), stack: frames.map((f) => f.trim()) };
}

/** PostgreSQL cancelled a statement at its deadline (`statement_timeout`, SQLSTATE 57014), as the driver or Drizzle (its cause) reports it. */
function isStatementTimeout(error: unknown): boolean {
  const code = (value: unknown) => (typeof value === "object" && value !== null ? (value as { code?: unknown }).code : undefined);
  return code(error) === "57014" || (error instanceof Error && code(error.cause) === "57014");
}

export function errorResponse(error: unknown): Response {
  if (BadRequestError.is(error)) return fail(400, { error: error.message });
  if (UpstreamBusyError.is(error)) {
    return fail(429, { error: `探马接口繁忙，请 ${error.retryAfterSeconds} 秒后再试 (upstream busy)` }, { "retry-after": String(error.retryAfterSeconds) });
  }
  if (isStatementTimeout(error)) {
    return fail(503, { error: "查询耗时过长，已中止：请缩小日期范围或筛选条件后重试 (query timed out)" }, { "retry-after": "5" });
  }
  if (TooManyRequestsError.is(error)) return fail(429, { error: error.message }, { "retry-after": String(error.retryAfterSeconds) });
  if (ForbiddenError.is(error)) return fail(403, { error: error.message });
  if (NotFoundError.is(error)) return fail(404, { error: error.message });
  if (ConflictError.is(error)) return fail(409, { error: error.message });
  if (PayloadTooLargeError.is(error)) return fail(413, { error: error.message }, TOO_LARGE_HEADERS);
  if (TanmaError.is(error)) {
    const upstream = { upstreamCode: error.code, upstreamMessage: error.upstreamMessage };
    switch (error.kind) {
      case "notFound":
        return fail(404, { error: "线索不存在 (not found in Tanma)", ...upstream });
      case "business":
        return fail(502, { error: `Tanma 返回错误 ${error.code}: ${error.upstreamMessage ?? "(无说明)"}`, ...upstream });
      case "timeout":
        return fail(504, { error: "Tanma 响应超时，请稍后重试 (upstream timed out)" });
      case "network":
        return fail(502, {
          error: `无法连接 Tanma${error.httpStatus ? ` (HTTP ${error.httpStatus})` : ""}，请稍后重试`,
          ...upstream,
        });
      case "protocol":
        return fail(502, { error: "Tanma 返回了无法识别的数据 (unexpected upstream response)" });
    }
  }
  console.error(JSON.stringify({ event: "api_internal_error", ...describeInternalError(error) }));
  return fail(500, { error: "服务器内部错误 (internal error)" });
}

/**
 * Wraps a route handler so that every failure becomes a typed JSON answer, and every request leaves one
 * structured log line and one observation in the metrics (lib/observability/metrics.ts). Both name the route
 * pattern, never the URL: query strings and ids stay out of logs and labels, and so do phone numbers, the app
 * key and signatures.
 */
export function handleApiRoute<C>(route: string, handler: (request: Request, context: C) => Promise<Response>, guard: GuardOptions = {}) {
  return async (request: Request, context: C): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    let upstream: { kind: TanmaError["kind"] | "busy"; code?: number | undefined } | undefined;
    try {
      // The origin check, sign-in and the per-user rate limit (lib/auth/guard.ts) come before any work.
      const refusal = await guardApiRequest(request, guard);
      response = refusal ? refusalResponse(refusal) : await handler(request, context);
    } catch (error) {
      if (TanmaError.is(error)) upstream = error;
      else if (UpstreamBusyError.is(error)) upstream = { kind: "busy" };
      response = errorResponse(error);
    }
    const seconds = secondsSince(started);
    metrics().httpRequests.observe({ route, method: request.method, status: String(response.status) }, seconds);
    console.info(
      JSON.stringify({
        event: "api_request",
        route: `${request.method} ${route}`,
        status: response.status,
        ...(upstream ? { upstreamKind: upstream.kind, upstreamCode: upstream.code } : {}),
        durationMs: Math.round(seconds * 1000),
      }),
    );
    return response;
  };
}
