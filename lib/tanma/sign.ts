import { createHash } from "node:crypto";

/**
 * Tanma's request signature: lowercase hex SHA-256 of `appId + timestamp + rawBody + appKey`.
 * `rawBody` must be the exact string sent on the wire, so callers serialize once and pass that string.
 */
export function tanmaSign(appId: string, timestamp: string, rawBody: string, appKey: string): string {
  return createHash("sha256").update(appId + timestamp + rawBody + appKey, "utf8").digest("hex");
}

/** The headers of one signed request whose body is exactly `rawBody`. The key itself is never a header. */
export function signedHeaders(
  credentials: { appId: string; appKey: string },
  rawBody: string,
  timestamp = String(Date.now()),
): Record<string, string> {
  return {
    "content-type": "application/json; charset=utf-8",
    appId: credentials.appId,
    timestamp,
    sign: tanmaSign(credentials.appId, timestamp, rawBody, credentials.appKey),
  };
}
