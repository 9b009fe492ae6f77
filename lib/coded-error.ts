/**
 * Errors the API answers in their own way (a 400, a 429 …) are recognised by a code string each carries, never
 * by `instanceof`. Next.js's production build may load a module once per route bundle, and what lives on
 * `globalThis` (Tanma's limiter, made by whichever bundle came first) throws its own bundle's copy of a class,
 * which is no instance of another bundle's copy: mapped by class, a 429 became a 500.
 */

/** Whether `error` carries `errorCode`, whichever copy of its class made it. */
export function hasErrorCode(error: unknown, errorCode: string): boolean {
  return typeof error === "object" && error !== null && (error as { errorCode?: unknown }).errorCode === errorCode;
}

/** A base class for errors known by `errorCode`: `class NotFoundError extends codedError("not_found")`, then `NotFoundError.is(error)`. */
export function codedError<C extends string>(errorCode: C) {
  return class CodedError extends Error {
    readonly errorCode: C = errorCode;

    /** `error` is one of these, by its code (see above), typed as the subclass `is` is called on. */
    static is<T extends CodedError>(this: abstract new (...args: never[]) => T, error: unknown): error is T {
      return hasErrorCode(error, errorCode);
    }
  };
}
