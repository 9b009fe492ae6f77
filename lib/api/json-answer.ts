import { createHash } from "node:crypto";

/**
 * A JSON answer serialized once: its text, the tag of that text (its digest, so it changes exactly when the
 * answer does), and its gzip form, made the first time a client accepts it. An answer kept for many readers
 * (lib/clues/service.ts) is then neither serialized nor compressed again.
 */
export type JsonAnswer = { readonly text: string; readonly etag: string; gzipped?: Buffer };

export function jsonAnswer(body: unknown): JsonAnswer {
  const text = JSON.stringify(body);
  return { text, etag: `"${createHash("sha1").update(text).digest("base64url")}"` };
}
