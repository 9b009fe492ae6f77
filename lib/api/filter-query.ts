import "server-only";
import type { z } from "zod";
import { parseInput } from "@/lib/api/respond";
import { BadRequestError } from "@/lib/errors";
import { fieldParam } from "@/lib/clues/filter-grammar";
import { FIELD_KEY_RE, SINGLE_VALUE_PARAMS } from "@/lib/clues/schema";

/**
 * Reads a list read's query string (the list, its facets, its export) in the one filter grammar
 * (lib/clues/filter-grammar.ts, the page URL's and a saved view's): each single-value parameter at most once,
 * `tag` and `field=<key>:<itemId>` repeatable. A select field filter spelled `<key>=<itemId>`, the alias kept
 * for API users of the older grammar, becomes the `field` it means here, so both reach the schema as one.
 */
export function parseFilterQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return parseFilterParams(new URL(request.url).searchParams, schema);
}

/** `parseFilterQuery` over query parameters (the server page parses the query string its client will send). */
export function parseFilterParams<S extends z.ZodType>(params: URLSearchParams, schema: S): z.output<S> {
  // A Map, not an object literal, collects the single values: a key such as `__proto__` is just a key.
  const single = new Map<string, string>();
  const tag: string[] = [];
  const field: string[] = [];
  for (const [key, value] of params) {
    if (SINGLE_VALUE_PARAMS.has(key)) {
      if (single.has(key)) throw new BadRequestError(`parameter "${key}" is given more than once`);
      single.set(key, value);
    } else if (key === "tag") {
      tag.push(value);
    } else if (key === "field") {
      field.push(value);
    } else if (FIELD_KEY_RE.test(key)) {
      field.push(fieldParam(key, value));
    } else {
      throw new BadRequestError(`unknown parameter: ${key.slice(0, 64)}`);
    }
  }
  return parseInput({ ...Object.fromEntries(single), tag, field }, schema);
}
