import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { serverSecret } from "@/lib/server-secret";

/**
 * Cursors Clue Desk hands out are sealed: `<value>.<HMAC>`, url-safe base64. A cursor we did not issue (made
 * up, edited, cut short) fails `openCursor`, so it is a 400 before any work, never a query or an upstream call.
 */

const b64 = (data: Buffer | string) => Buffer.from(data).toString("base64url");
const mac = (value: string) => createHmac("sha256", serverSecret("cursor")).update(value).digest().subarray(0, 16);

export function sealCursor(value: string): string {
  const payload = b64(value);
  return `${payload}.${b64(mac(payload))}`;
}

/** The sealed value, or null for anything this server did not issue. */
export function openCursor(token: string): string | null {
  const [payload, signature, extra] = token.split(".");
  if (payload === undefined || signature === undefined || extra !== undefined) return null;
  const expected = mac(payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(payload, "base64url").toString("utf8");
}
