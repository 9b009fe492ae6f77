import { codedError } from "@/lib/coded-error";

/**
 * The one error type of every failed Tanma call. `kind` says what went wrong so the API can answer with
 * the right status; `code`/`upstreamMessage` carry Tanma's own words for the operator.
 */
export type TanmaErrorKind =
  /** Tanma answered with a non-zero `code`. */
  | "business"
  /** Tanma says the record does not exist. */
  | "notFound"
  /** No answer within the timeout. */
  | "timeout"
  /** Connection refused/reset, or an HTTP status other than 200 (5xx, 429, …). */
  | "network"
  /** An answer that is not the documented shape. */
  | "protocol";

/** Tanma's "no such clue" answer (simulator: 40404); kept in one place because the real code is unpublished. */
export const TANMA_NOT_FOUND_CODES: ReadonlySet<number> = new Set([40404]);

/** 请求时间与服务器时间相差过大: our clock and Tanma's disagree. */
export const CLOCK_SKEW_CODE = 1003;

export class TanmaError extends codedError("tanma") {
  readonly kind: TanmaErrorKind;
  readonly path: string;
  readonly code: number | undefined;
  readonly upstreamMessage: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(
    kind: TanmaErrorKind,
    path: string,
    detail: { code?: number; upstreamMessage?: string; httpStatus?: number; cause?: unknown },
  ) {
    super(
      `Tanma ${path}: ${kind}` +
        (detail.code !== undefined ? ` code ${detail.code}` : "") +
        (detail.httpStatus !== undefined ? ` HTTP ${detail.httpStatus}` : "") +
        (detail.upstreamMessage ? ` (${detail.upstreamMessage})` : ""),
      { cause: detail.cause },
    );
    this.name = "TanmaError";
    this.kind = kind;
    this.path = path;
    this.code = detail.code;
    this.upstreamMessage = detail.upstreamMessage;
    this.httpStatus = detail.httpStatus;
  }
}

/**
 * Our own limiter in front of Tanma refused a call because the caller would wait longer than `TANMA_MAX_WAIT_MS`
 * for its share of the upstream budget. Nothing was sent; `retryAfterSeconds` is the estimated wait.
 */
export class UpstreamBusyError extends codedError("upstream_busy") {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(`Tanma call refused: the caller's share of the upstream budget is queued ${retryAfterSeconds}s ahead`);
    this.name = "UpstreamBusyError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
