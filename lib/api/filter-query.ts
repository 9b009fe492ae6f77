import "server-only";
import type { z } from "zod";
import { BadRequestError, parseInput } from "@/lib/api/respond";
import { FIELD_KEY_RE, SINGLE_VALUE_PARAMS } from "@/lib/clues/schema";

/**
 * Reads a list read's query string (the list, its facets, its export): each single-value parameter at most
 * once; `tag` and every other key repeatable, the others gathered as select field filters (`customer_stage=…`).
 */
export function parseFilterQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return parseFilterParams(new URL(request.url).searchParams, schema);
}

/** `parseFilterQuery` over query parameters (the server page parses the query string its client will send). */
export function parseFilterParams<S extends z.ZodType>(params: URLSearchParams, schema: S): z.output<S> {
  const single: Record<string, string> = {};
  const tag: string[] = [];
  const fields: Record<string, string[]> = {};
  for (const [key, value] of params) {
    if (SINGLE_VALUE_PARAMS.has(key)) {
      if (key in single) throw new BadRequestError(`parameter "${key}" is given more than once`);
      single[key] = value;
    } else if (key === "tag") {
      tag.push(value);
    } else if (FIELD_KEY_RE.test(key)) {
      // Own keys only: a field named like an Object.prototype member (`valueOf`) is a key like any other.
      if (Object.hasOwn(fields, key)) fields[key]!.push(value);
      else fields[key] = [value];
    } else {
      throw new BadRequestError(`unknown parameter: ${key.slice(0, 64)}`);
    }
  }
  return parseInput({ ...single, tag, fields }, schema);
}
