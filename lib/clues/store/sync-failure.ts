import { z } from "zod";
import type { SyncFailure } from "@/lib/clues/schema";
import { TanmaError, UpstreamBusyError } from "@/lib/tanma/errors";

/**
 * What a failed walk tells users (the list's `sync.reason`, 刷新's answer): what happened, as a kind the desk
 * says in plain words (lib/copy.ts), and Tanma's code or HTTP status for the small print. Never an error's own
 * text: Tanma's names paths, the store's quotes SQL and its parameters.
 */
export function describeFailure(error: unknown): SyncFailure {
  if (error instanceof FailedElsewhereError) return error.failure;
  // By code, not class: another route bundle's copy of a class is not an instance of this one's (lib/coded-error.ts).
  if (UpstreamBusyError.is(error)) return { kind: "busy" };
  if (!TanmaError.is(error)) return { kind: "store" };
  switch (error.kind) {
    case "business":
    case "notFound":
      return { kind: "rejected", ...(error.code === undefined ? {} : { code: String(error.code) }) };
    case "timeout":
      return { kind: "timeout" };
    case "network":
      if (error.httpStatus === 429) return { kind: "busy", code: "HTTP 429" };
      return { kind: "unreachable", ...(error.httpStatus === undefined ? {} : { code: `HTTP ${error.httpStatus}` }) };
    case "protocol":
      return { kind: "invalidAnswer" };
  }
}

const syncFailureSchema = z.object({
  kind: z.enum(["rejected", "timeout", "busy", "unreachable", "invalidAnswer", "store"]),
  code: z.string().max(40).optional(),
});

/** The failure as the day's `last_error` keeps it. */
export function encodeFailure(failure: SyncFailure): string {
  return JSON.stringify(failure);
}

/** A day's `last_error` read back; one written before the kinds existed was Tanma's text: unreachable. */
export function decodeFailure(stored: string): SyncFailure {
  try {
    const parsed = syncFailureSchema.safeParse(JSON.parse(stored));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: the older text form
  }
  return { kind: "unreachable" };
}

/** Another instance's walk of a day failed, as it recorded: this walk's failure too. */
export class FailedElsewhereError extends Error {
  override name = "FailedElsewhereError";
  constructor(readonly failure: SyncFailure) {
    super(`the walk failed in another instance (${failure.kind}${failure.code ? ` ${failure.code}` : ""})`);
  }
}
