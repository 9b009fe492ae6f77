import "server-only";
import type { z } from "zod";
import { parseInput } from "@/lib/api/respond";
import { BadRequestError } from "@/lib/errors";
import { FIELD_KEY_RE, SINGLE_VALUE_PARAMS } from "@/lib/clues/schema";

/**
 * Reads a list read's query string (the list, its facets, its export): each single-value parameter at most
 * once; `tag` and every other key repeatable, the others gathered as select field filters (`customer_stage=…`).
 * Maps, not object literals, collect them: a key such as `toString` or `__proto__` is just a key.
 */
export function parseFilterQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return parseFilterParams(new URL(request.url).searchParams, schema);
}

/** `parseFilterQuery` over query parameters (the server page parses the query string its client will send). */
export function parseFilterParams<S extends z.ZodType>(params: URLSearchParams, schema: S): z.output<S> {
  const single = new Map<string, string>();
  const tag: string[] = [];
  const fields = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (SINGLE_VALUE_PARAMS.has(key)) {
      if (single.has(key)) throw new BadRequestError(`parameter "${key}" is given more than once`);
      single.set(key, value);
    } else if (key === "tag") {
      tag.push(value);
    } else if (FIELD_KEY_RE.test(key)) {
      fields.set(key, [...(fields.get(key) ?? []), value]);
    } else {
      throw new BadRequestError(`unknown parameter: ${key.slice(0, 64)}`);
    }
  }
  return parseInput({ ...Object.fromEntries(single), tag, fields: Object.fromEntries(fields) }, schema);
}
