import type { IncomingHttpHeaders } from "node:http";
import { tanmaSign } from "@/lib/tanma/sign";
import { TANMA_ERRORS, type TanmaErrorSpec } from "./errors";

/** The skew window is not published; ±5 minutes is what a typical gateway allows. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Checks Tanma's signature headers against the raw body exactly as received. Node lowercases header names,
 * so `appId` arrives as `appid`. An `appKey` header (listed in the vendor's sample code) is ignored.
 */
export type SimulatorCredentials = { appId: string; appKey: string };

export function authError(
  headers: IncomingHttpHeaders,
  rawBody: string,
  nowMs: number,
  credentials: SimulatorCredentials,
): TanmaErrorSpec | undefined {
  const appId = header(headers, "appid");
  if (appId !== credentials.appId) return TANMA_ERRORS.badSign;
  const timestamp = header(headers, "timestamp") ?? "";
  if (!/^\d{13}$/.test(timestamp) || Math.abs(Number(timestamp) - nowMs) > MAX_CLOCK_SKEW_MS) {
    return TANMA_ERRORS.clockSkew;
  }
  if (header(headers, "sign") !== tanmaSign(appId, timestamp, rawBody, credentials.appKey)) return TANMA_ERRORS.badSign;
  return undefined;
}
