import { describe, expect, it } from "vitest";
import { decodeFailure, describeFailure, encodeFailure, FailedElsewhereError } from "@/lib/clues/store/sync-failure";
import { TanmaError, UpstreamBusyError } from "@/lib/tanma/errors";

/** What the desk says when a walk failed: a kind it puts in plain words and a code for the small print, never an error's own text. */
describe("a failed walk as users see it", () => {
  const path = "/api/v3/clue/list-by-create-time-asc";

  it.each([
    [new TanmaError("business", path, { code: 1002, upstreamMessage: "forced failure for testing" }), { kind: "rejected", code: "1002" }],
    [new TanmaError("timeout", path, {}), { kind: "timeout" }],
    [new TanmaError("network", path, { httpStatus: 503 }), { kind: "unreachable", code: "HTTP 503" }],
    [new TanmaError("network", path, { cause: new Error("ECONNRESET") }), { kind: "unreachable" }],
    [new TanmaError("network", path, { httpStatus: 429 }), { kind: "busy", code: "HTTP 429" }],
    [new TanmaError("protocol", path, {}), { kind: "invalidAnswer" }],
    [new UpstreamBusyError(3), { kind: "busy" }],
    [new Error('insert into "clues" values ($1, $2): invalid byte sequence'), { kind: "store" }],
    [new FailedElsewhereError({ kind: "rejected", code: "1002" }), { kind: "rejected", code: "1002" }],
  ])("%s → %o", (error, failure) => {
    expect(describeFailure(error)).toEqual(failure);
    expect(decodeFailure(encodeFailure(describeFailure(error)))).toEqual(failure);
  });

  it("reads a day's failure kept in the older text form, and names no path or SQL", () => {
    expect(decodeFailure("Tanma /api/v3/clue/list-by-create-time-asc: network HTTP 503")).toEqual({ kind: "unreachable" });
    expect(decodeFailure('{"kind":"select * from clues"}')).toEqual({ kind: "unreachable" });
  });
});
