import "server-only";
import type { z } from "zod";
import { readBodyText } from "@/lib/api/request-body";
import { parseInput } from "@/lib/api/respond";
import { BadRequestError, PayloadTooLargeError } from "@/lib/errors";

const MAX_BODY_BYTES = 16 * 1024;

/** A JSON request body parsed with a schema: not JSON or not matching it is a 400, over `MAX_BODY_BYTES` a 413. */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new BadRequestError("the body must be JSON (Content-Type: application/json)");
  const text = await readBodyText(request, MAX_BODY_BYTES);
  if (text === null) throw new PayloadTooLargeError(`the body is too large (at most ${MAX_BODY_BYTES / 1024} KB)`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError("the body is not valid JSON");
  }
  return parseInput(body, schema);
}
