import "server-only";
import type { z } from "zod";
import { parseInput } from "@/lib/api/respond";
import { BadRequestError } from "@/lib/errors";

const MAX_BODY_BYTES = 16 * 1024;

/** A JSON request body parsed with a schema: not JSON, too large or not matching it is a 400. */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new BadRequestError("the body must be JSON (Content-Type: application/json)");
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) throw new BadRequestError("the body is too large");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError("the body is not valid JSON");
  }
  return parseInput(body, schema);
}
