import type { ApiError } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/**
 * The browser's calls to Clue Desk's own `/api/*`: every failure, an error answer or no answer at all, is an
 * `ApiFetchError` whose message a person can read.
 */

/** A failed call to Clue Desk's own `/api/*`: the HTTP status (0: no answer) and the JSON error body when there was one. */
export class ApiFetchError extends Error {
  readonly status: number;
  readonly body: ApiError | null;

  constructor(status: number, body: ApiError | null, message: string) {
    super(message);
    this.name = "ApiFetchError";
    this.status = status;
    this.body = body;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === "object" && value !== null && typeof (value as { error?: unknown }).error === "string";
}

/** The message a person should read for a failed call: the upstream message first, as Tanma sent it. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiFetchError ? error.message : copy.errors.network;
}

async function requestJson<T>(path: string, init: { method: "GET" | "POST"; signal?: AbortSignal }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: "application/json" } });
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new ApiFetchError(0, null, copy.errors.network);
  }
  if (res.ok) return (await res.json()) as T;
  let body: ApiError | null = null;
  try {
    const parsed: unknown = await res.json();
    if (isApiError(parsed)) body = parsed;
  } catch {
    body = null;
  }
  let message: string;
  if (body?.upstreamMessage !== undefined) message = copy.errors.upstream(body.upstreamCode, body.upstreamMessage);
  else if (res.status === 504) message = body?.error ?? copy.errors.timeout;
  else message = body?.error ?? copy.errors.http(res.status);
  throw new ApiFetchError(res.status, body, message);
}

/** GET a JSON document from our API; throws `ApiFetchError` on any non-2xx answer or a network failure. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, { method: "GET", signal });
}

/** POST to our API (no body) and read its JSON answer; fails like `getJson`. */
export function postJson<T>(path: string): Promise<T> {
  return requestJson<T>(path, { method: "POST" });
}

/**
 * Retry policy for every query: answers the server gave deliberately (4xx, and 502 = Tanma said no) are shown
 * at once; timeouts and network failures get two quick retries.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiFetchError && error.status !== 0 && error.status !== 504) return false;
  return failureCount < 2;
}
