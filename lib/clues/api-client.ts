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

type ApiRequest = { method: "GET" | "POST" | "PATCH" | "DELETE"; signal?: AbortSignal; body?: unknown };

async function requestJson<T>(path: string, init: ApiRequest): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method,
      signal: init.signal,
      headers: { accept: "application/json", ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new ApiFetchError(0, null, copy.errors.network);
  }
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  throw await responseError(res);
}

/** The `ApiFetchError` for a failed answer, its message taken from the JSON error body when there is one. */
export async function responseError(res: Response): Promise<ApiFetchError> {
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
  return new ApiFetchError(res.status, body, message);
}

/** GET a JSON document from our API; throws `ApiFetchError` on any non-2xx answer or a network failure. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, { method: "GET", signal });
}

/** POST to our API (a JSON body when given) and read its JSON answer; fails like `getJson`. */
export function postJson<T>(path: string, body?: unknown): Promise<T> {
  return requestJson<T>(path, { method: "POST", body });
}

export function patchJson<T>(path: string, body: unknown): Promise<T> {
  return requestJson<T>(path, { method: "PATCH", body });
}

/** DELETE a resource of our API (204, no body); fails like `getJson`. */
export function deleteResource(path: string): Promise<void> {
  return requestJson<void>(path, { method: "DELETE" });
}

/**
 * Retry policy for every query: answers the server gave deliberately (4xx, and 502 = Tanma said no) are shown
 * at once; timeouts and network failures get two quick retries.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiFetchError && error.status !== 0 && error.status !== 504) return false;
  return failureCount < 2;
}
