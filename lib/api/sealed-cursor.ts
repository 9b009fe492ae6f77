import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { serverSecret } from "@/lib/server-secret";

/**
 * Paging cursors the API hands out are sealed: the value travels as url-safe base64 with an HMAC-SHA256 tag
 * (`<value>.<tag>`), so a cursor a client invented or edited is recognised here and refused, instead of being
 * forwarded for Tanma to reject. The value is signed, not encrypted: callers seal nothing secret.
 */

const PURPOSE = "paging-cursor";
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** SHA-256 is 32 bytes: 43 base64url characters without padding. */
const TAG_LENGTH = 43;

function tag(value: string): Buffer {
  return createHmac("sha256", serverSecret(PURPOSE)).update(value, "utf8").digest();
}

export function sealCursor(value: string): string {
  return `${Buffer.from(value, "utf8").toString("base64url")}.${tag(value).toString("base64url")}`;
}

/** The value sealed in `token`, or null for anything this server did not issue (or issued under another secret). */
export function openCursor(token: string): string | null {
  const dot = token.indexOf(".");
  if (dot <= 0) return null;
  const payload = token.slice(0, dot);
  const given = token.slice(dot + 1);
  if (!BASE64URL.test(payload) || given.length !== TAG_LENGTH || !BASE64URL.test(given)) return null;
  const value = Buffer.from(payload, "base64url").toString("utf8");
  const givenTag = Buffer.from(given, "base64url");
  // One spelling per token: re-encoding rejects stray bits and text that is not UTF-8.
  if (Buffer.from(value, "utf8").toString("base64url") !== payload || givenTag.toString("base64url") !== given) return null;
  return timingSafeEqual(givenTag, tag(value)) ? value : null;
}

/** What a refused cursor is told. */
export const CURSOR_REFUSED = "cursor is not one this server issued for this query; start again from the first page";

/** A keyset position: the sort key as text, the tie-breaking id, and anything the query carries along. */
export type KeysetPosition = { key: string; id: number; extra: unknown[] };

/** Seals a keyset position together with the scope of the query it belongs to. */
export function sealKeyset(scope: string, { key, id, extra }: KeysetPosition): string {
  return sealCursor(JSON.stringify([scope, key, id, ...extra]));
}

/** The position sealed in `token` for `scope`; null for a cursor not issued, or issued for another query. */
export function openKeyset(scope: string, token: string): KeysetPosition | null {
  const opened = openCursor(token);
  let parsed: unknown;
  try {
    parsed = opened === null ? null : JSON.parse(opened);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed[0] !== scope || typeof parsed[1] !== "string" || !Number.isSafeInteger(parsed[2])) return null;
  return { key: parsed[1], id: parsed[2] as number, extra: parsed.slice(3) };
}
