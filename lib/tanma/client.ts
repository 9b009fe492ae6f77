import "server-only";
import type { z } from "zod";
import { tanmaConfig } from "@/lib/tanma/config";
import pRetry from "p-retry";
import { storeIsShared } from "@/lib/db/config";
import { SharedStartSlots } from "@/lib/tanma/upstream-quota";
import { FairLimiter, LocalStartSlots } from "@/lib/tanma/fair-limiter";
import { CLOCK_SKEW_CODE, TANMA_NOT_FOUND_CODES, TanmaError, UpstreamBusyError } from "@/lib/tanma/errors";
import {
  type ClueListBody,
  envelopeSchema,
  type FollowUpListBody,
  TANMA_PATHS,
  upstreamClueDetailSchema,
  upstreamCluePageSchema,
  upstreamCustomerFieldsSchema,
  upstreamFollowUpPageSchema,
  upstreamTagTreeSchema,
} from "@/lib/tanma/schemas";
import { signedHeaders } from "@/lib/tanma/sign";
import { metrics, secondsSince } from "@/lib/observability/metrics";
import { inCurrentTrace, inSpan } from "@/lib/observability/tracing";

/**
 * The only code that knows the Tanma app key. Every upstream call goes through `call`, which signs the exact
 * bytes it sends and never puts the key on the wire. Node's fetch (undici) keeps connections alive per
 * origin, so consecutive pages reuse one connection.
 *
 * All five endpoints are reads, so a call that failed in transit (network error, HTTP 5xx, timeout) is
 * retried with exponential backoff and jitter, each attempt signed afresh. Every attempt waits for its turn at
 * one process-wide limiter that keeps Tanma under `TANMA_MAX_RPS` (across all instances when they share a
 * PostgreSQL store, lib/tanma/upstream-quota.ts) and shares that budget fairly between callers: each exported
 * function takes `{ user }`, the identity a request is served for. A user's call that would wait longer than
 * `TANMA_MAX_WAIT_MS` is refused at once (`UpstreamBusyError`, answered 429); calls without a user (shared caches, background work) share the budget as one more caller and always wait.
 */

type TanmaPath = (typeof TANMA_PATHS)[keyof typeof TANMA_PATHS];

/**
 * Whom an upstream call is made for; omitted for work done for no one request (caches, background jobs).
 * `waitForTurn`: the user's share is used but the call is never refused (a day walk a user forced, which
 * must not fail half way because their queue is long).
 */
export type UpstreamOptions = {
  user?: string;
  waitForTurn?: boolean;
  /**
   * Background work that takes only slots no one else waits for (`FairLimiter.runSpare`), once: a failure is
   * not retried here, its caller tries again later (the touch reader).
   */
  spare?: boolean;
};

const MAX_RETRIES = 2;

/** The caller that calls without a user are queued as (a symbol, so no user name can collide with it). */
const SYSTEM = Symbol("system");

/**
 * Requests leave the limiter evenly but reach Tanma with uneven delays (a fresh connection's handshake, a
 * busy event loop), which can squeeze a second's worth closer together. Spacing them over a slightly longer
 * window keeps what Tanma sees, not just what we send, within the limit.
 */
const LIMITER_WINDOW_MS = 1150;

// One limiter per process, also when several route bundles each load this module.
const LIMITER = Symbol.for("clue-desk.tanma-limiter");
type Holder = { [LIMITER]?: { rps: number; limiter: FairLimiter<string | symbol> } };

function limiter(): FairLimiter<string | symbol> {
  const holder = globalThis as Holder;
  const rps = tanmaConfig().maxRequestsPerSecond;
  if (holder[LIMITER]?.rps !== rps) {
    // Instances sharing a PostgreSQL store share the budget through it; the embedded store has one process.
    const slots = storeIsShared() ? new SharedStartSlots(rps, LIMITER_WINDOW_MS) : new LocalStartSlots(rps, LIMITER_WINDOW_MS);
    holder[LIMITER] = { rps, limiter: new FairLimiter(slots) };
  }
  return holder[LIMITER].limiter;
}

function isTransient(error: TanmaError): boolean {
  return error.kind === "timeout" || (error.kind === "network" && (error.httpStatus === undefined || error.httpStatus >= 500));
}

async function call<S extends z.ZodType>(path: TanmaPath, body: object | undefined, schema: S, { user, waitForTurn = false, spare = false }: UpstreamOptions): Promise<z.output<S>> {
  if (spare) return limiter().runSpare(() => attempt(path, body, schema));
  let clockSkewRetried = false;
  const caller = user ?? SYSTEM;
  // Only a user's first attempt may be refused: a call once admitted waits its turn for its retries.
  const maxWaitMs = (attemptNumber: number) => (user !== undefined && !waitForTurn && attemptNumber === 1 ? tanmaConfig().maxWaitMs : undefined);
  return pRetry((attemptNumber) => measuredAttempt(path, body, schema, caller, attemptNumber, maxWaitMs(attemptNumber)), {
    retries: MAX_RETRIES,
    factor: 2,
    minTimeout: 200,
    maxTimeout: 2000,
    randomize: true,
    shouldRetry(error) {
      if (!TanmaError.is(error)) return false;
      if (error.code === CLOCK_SKEW_CODE && !clockSkewRetried) {
        clockSkewRetried = true;
        // A skewed clock fails every call until someone fixes NTP; say so where operators look.
        console.error(JSON.stringify({ event: "tanma_clock_skew", level: "error", path, serverTime: new Date().toISOString() }));
        return true;
      }
      return isTransient(error);
    },
  });
}

/** One attempt through the limiter, counted (its wait for a turn, a refusal, its outcome and latency) and traced. */
async function measuredAttempt<S extends z.ZodType>(
  path: TanmaPath,
  body: object | undefined,
  schema: S,
  caller: string | symbol,
  attemptNumber: number,
  maxWaitMs: number | undefined,
): Promise<z.output<S>> {
  const { limiterWait, refusals, tanmaCalls, tanmaRetries } = metrics();
  if (attemptNumber > 1) tanmaRetries.inc({ path });
  const queuedAt = performance.now();
  try {
    return await limiter().run(
      caller,
      inCurrentTrace(() => {
        limiterWait.observe({ caller: caller === SYSTEM ? "system" : "user" }, secondsSince(queuedAt));
        return inSpan("tanma.call", { "tanma.path": path, "tanma.attempt": attemptNumber }, async () => {
          const started = performance.now();
          try {
            const result = await attempt(path, body, schema);
            tanmaCalls.observe({ path, outcome: "ok", code: "0" }, secondsSince(started));
            return result;
          } catch (error) {
            const failure = TanmaError.is(error) ? error : undefined;
            tanmaCalls.observe({ path, outcome: failure?.kind ?? "error", code: failure?.code === undefined ? "" : String(failure.code) }, secondsSince(started));
            throw error;
          }
        });
      }),
      maxWaitMs,
    );
  } catch (error) {
    if (UpstreamBusyError.is(error)) refusals.inc({ limit: "tanma_budget" });
    throw error;
  }
}

/** One signed request; throws a `TanmaError` for every way it can fail. */
async function attempt<S extends z.ZodType>(path: TanmaPath, body: object | undefined, schema: S): Promise<z.output<S>> {
  const { baseUrl, appId, appKey, timeoutMs } = tanmaConfig();
  const rawBody = body === undefined ? "" : JSON.stringify(body);
  let response: Response;
  let payload: unknown;
  try {
    response = await fetch(baseUrl + path, {
      method: "POST",
      headers: signedHeaders({ appId, appKey }, rawBody),
      body: rawBody,
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
    payload = await response.json().catch(() => undefined);
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
    throw new TanmaError(timedOut ? "timeout" : "network", path, { cause });
  }

  const envelope = envelopeSchema.safeParse(payload);
  if (response.status !== 200) {
    throw new TanmaError("network", path, {
      httpStatus: response.status,
      code: envelope.data?.code,
      upstreamMessage: envelope.data?.message ?? undefined,
    });
  }
  if (!envelope.success) throw new TanmaError("protocol", path, { cause: envelope.error });
  if (envelope.data.code !== 0) {
    throw new TanmaError(TANMA_NOT_FOUND_CODES.has(envelope.data.code) ? "notFound" : "business", path, {
      code: envelope.data.code,
      upstreamMessage: envelope.data.message ?? undefined,
    });
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) throw new TanmaError("protocol", path, { cause: data.error });
  return data.data;
}

/** 按创建时间列出线索&待分配客户: ascending by create time, `since` inclusive, `before` exclusive. */
export function listCluesByCreateTime(body: ClueListBody, options: UpstreamOptions = {}) {
  return call(TANMA_PATHS.clueList, body, upstreamCluePageSchema, options);
}

/** 获取线索&待分配客户详情. A missing clue is a `TanmaError` of kind `notFound`, also when `data` is null. */
export async function getClue(customerId: number, options: UpstreamOptions = {}) {
  const detail = await call(TANMA_PATHS.clueGet, { customerId }, upstreamClueDetailSchema.nullable(), options);
  if (detail === null) throw new TanmaError("notFound", TANMA_PATHS.clueGet, {});
  return detail;
}

/** 列出指定线索&待分配客户跟进内容. */
export function listClueFollowUps(body: FollowUpListBody, options: UpstreamOptions = {}) {
  return call(TANMA_PATHS.clueFollowUps, body, upstreamFollowUpPageSchema, options);
}

/** 查询标签树. The endpoint takes no body; the empty body is what gets signed. */
export function getTagTree(options: UpstreamOptions = {}) {
  return call(TANMA_PATHS.tagTree, undefined, upstreamTagTreeSchema, options);
}

/** 查询客户字段. */
export function listCustomerFields(options: UpstreamOptions = {}) {
  return call(TANMA_PATHS.customerFields, {}, upstreamCustomerFieldsSchema, options);
}
