import { createHash } from "node:crypto";

/**
 * A JSON answer serialized once: its text and the tag of that text (its digest, so it changes exactly when the
 * answer does). An answer kept for many readers (lib/clues/service.ts) is not serialized again.
 */
export type JsonAnswer = { readonly text: string; readonly etag: string };

export function jsonAnswer(body: unknown): JsonAnswer {
  const text = JSON.stringify(body);
  return { text, etag: `"${createHash("sha1").update(text).digest("base64url")}"` };
}
