import { codedError } from "@/lib/coded-error";

/**
 * The ways a request can be refused, as every layer throws them: a service, a feature's store, the Tanma
 * client's callers. They carry what went wrong and nothing of HTTP; lib/api/respond.ts alone turns each into a
 * status and an answer (Tanma's own failures are lib/tanma/errors.ts's). Each is known by its code, never by
 * `instanceof` (lib/coded-error.ts says why).
 */

export class BadRequestError extends codedError("bad_request") {
  override name = "BadRequestError";
}

/** The thing asked for does not exist for this caller (someone else's saved view is not theirs to see). */
export class NotFoundError extends codedError("not_found") {
  override name = "NotFoundError";
}

/** The caller is signed in but may not do this (a non-admin reading the audit trail). */
export class ForbiddenError extends codedError("forbidden") {
  override name = "ForbiddenError";
}

/** The caller has asked for this too often or while too much is under way; `retryAfterSeconds` says when to try again. */
export class TooManyRequestsError extends codedError("too_many_requests") {
  override name = "TooManyRequestsError";

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The request body is larger than its route reads (lib/api/request-body.ts). */
export class PayloadTooLargeError extends codedError("payload_too_large") {
  override name = "PayloadTooLargeError";
}

/** The request clashes with what is stored (a saved view's name taken). */
export class ConflictError extends codedError("conflict") {
  override name = "ConflictError";
}
