import { createHash } from "node:crypto";

/**
 * Tanma's request signature: lowercase hex SHA-256 of `appId + timestamp + rawBody + appKey`.
 * `rawBody` must be the exact string sent on the wire, so callers serialize once and pass that string.
 */
export function tanmaSign(appId: string, timestamp: string, rawBody: string, appKey: string): string {
  return createHash("sha256").update(appId + timestamp + rawBody + appKey, "utf8").digest("hex");
}
