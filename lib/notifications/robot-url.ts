import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { BadRequestError } from "@/lib/errors";
import { serverEnv } from "@/lib/env";
import type { RobotRequest } from "@/lib/notifications/channels";

/**
 * Where Clue Desk may post (no server-side request forgery): a robot URL's host, or `host:port`, must be listed
 * in `NOTIFY_ALLOWED_HOSTS` (default: the three vendors' robot hosts); a listed name that resolves to a private,
 * loopback or link-local address is refused unless that address is itself listed; plain http only to a listed
 * address. The addresses are checked when a subscription is saved and again as each request connects (the
 * lookup below), so a name that changes its answer later is caught; redirects are never followed.
 */

export const DEFAULT_ALLOWED_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn"] as const;

const PRIVATE_RANGES: [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["224.0.0.0", 3, "ipv4"],
  ["::", 127, "ipv6"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["ff00::", 8, "ipv6"],
];
const privateAddresses = new BlockList();
for (const [address, bits, family] of PRIVATE_RANGES) privateAddresses.addSubnet(address, bits, family);

/** `[::1]` → `::1`, `::ffff:10.0.0.1` → `10.0.0.1`. */
const bare = (address: string) => address.replace(/^\[(.*)\]$/, "$1").replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").toLowerCase();

export function isPrivateAddress(address: string): boolean {
  const ip = bare(address);
  const family = isIP(ip);
  return family !== 0 && privateAddresses.check(ip, family === 6 ? "ipv6" : "ipv4");
}

/** `NOTIFY_ALLOWED_HOSTS`'s entries, lower-cased: `host` or `host:port`. */
export function allowedHosts(): string[] {
  const listed = serverEnv().NOTIFY_ALLOWED_HOSTS;
  return (listed === undefined ? [...DEFAULT_ALLOWED_HOSTS] : listed.split(",")).map((e) => e.trim().toLowerCase()).filter(Boolean);
}

/** An entry's host part: `127.0.0.1:4000` → `127.0.0.1`, `[::1]:80` → `::1`. */
const entryHost = (entry: string) => bare(/^\[.*\](:\d+)?$/.test(entry) ? entry.replace(/:\d+$/, "") : entry.replace(/:\d+$/, ""));

const isListedAddress = (address: string) => allowedHosts().some((entry) => entryHost(entry) === bare(address));

function isListedHost(url: URL): boolean {
  const host = url.host.toLowerCase();
  return allowedHosts().some((entry) => entry === host || (url.port === "" && entry === url.hostname.toLowerCase()));
}

/** Why the desk will not post to this address, or null when it may. */
const addressRefusal = (address: string) =>
  isPrivateAddress(address) && !isListedAddress(address) ? "the robot's host resolves to a private or loopback address that NOTIFY_ALLOWED_HOSTS does not list" : null;

/** The rule without the network: a listed host, and https unless the host is a listed address. */
function staticRefusal(url: URL): string | null {
  if (!isListedHost(url)) return `channel.url: the host ${url.host.slice(0, 100)} is not in NOTIFY_ALLOWED_HOSTS`;
  const literal = isIP(bare(url.hostname)) !== 0;
  if (url.protocol !== "https:" && !(literal && isListedAddress(url.hostname))) return "channel.url must be https (plain http only to an address NOTIFY_ALLOWED_HOSTS lists)";
  if (url.username !== "" || url.password !== "") return "channel.url must not carry a user name or password";
  return literal ? addressRefusal(url.hostname) : null;
}

/**
 * Checks a robot URL before it is saved: a 400 naming the rule it breaks. A name that does not resolve now is
 * accepted (DNS may be down for a moment); every send checks its addresses again as it connects.
 */
export async function checkRobotUrl(raw: string): Promise<void> {
  const url = new URL(raw);
  const refusal = staticRefusal(url);
  if (refusal !== null) throw new BadRequestError(refusal);
  if (isIP(bare(url.hostname)) !== 0) return;
  const addresses = await new Promise<LookupAddress[]>((resolve) => dnsLookup(url.hostname, { all: true }, (error, found) => resolve(error ? [] : found)));
  const refused = addresses.map((a) => addressRefusal(a.address)).find((r) => r !== null);
  if (refused) throw new BadRequestError(`channel.url: ${refused}`);
}

/** A resolver for the connection itself: the name's addresses checked as it connects, so a later answer cannot point it inward. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const refused = addresses.map((a) => addressRefusal(a.address)).find((r) => r !== null);
    if (refused || addresses.length === 0) return callback(new Error(refused ?? "no address"), "", 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** An answer is read up to this many bytes: a robot's reply is a few dozen. */
const MAX_REPLY_BYTES = 64 * 1024;

export class RobotRequestError extends Error {}

/**
 * Posts one request to a robot. Answers its status and body (cut at `MAX_REPLY_BYTES`); a refused address, a
 * connection failure or no answer within `timeoutMs` is a `RobotRequestError` whose message never holds the URL.
 * A redirect is an answer like any other (3xx): it is not followed.
 */
export function postToRobot(robot: RobotRequest, timeoutMs: number): Promise<{ status: number; body: string }> {
  const url = new URL(robot.url);
  const refusal = staticRefusal(url);
  if (refusal !== null) return Promise.reject(new RobotRequestError(refusal));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: "POST", headers: { ...robot.headers, "content-length": String(Buffer.byteLength(robot.body)) }, lookup: guardedLookup, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        if (size < MAX_REPLY_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_REPLY_BYTES) }));
      response.on("error", () => reject(new RobotRequestError("the robot's answer broke off")));
    });
    const deadline = setTimeout(() => request.destroy(new RobotRequestError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on("close", () => clearTimeout(deadline));
    request.on("timeout", () => request.destroy(new RobotRequestError(`no answer within ${timeoutMs} ms`)));
    request.on("error", (error) => reject(error instanceof RobotRequestError ? error : new RobotRequestError(connectionError(error))));
    request.end(robot.body);
  });
}

/** A connection failure for the log and the page: its code or our own refusal, never the host or URL. */
function connectionError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return `cannot reach the robot (${code})`;
  return error.message.includes("NOTIFY_ALLOWED_HOSTS") ? error.message : "cannot reach the robot";
}
