import "server-only";
import { BlockList, isIP } from "node:net";
import { serverEnv } from "@/lib/env";
import { peerAddressHeader } from "@/lib/security/front-door";

/**
 * The address a request came from, for per-client limits and sign-in logs. By default it is the TCP peer, as
 * the front door (lib/security/front-door.ts) recorded it: `X-Forwarded-For` is text any client can write, so
 * it is ignored. When the operator names the proxies in front of Clue Desk (`TRUSTED_PROXIES`, comma-separated
 * IPs and CIDR ranges), the address is read from `X-Forwarded-For` right to left, skipping those proxies: the
 * first address that is not one of them is the one the outermost trusted proxy saw.
 */

/** `TRUSTED_PROXIES` → the ranges; throws with the offending entry. */
export function parseTrustedProxies(text: string | undefined): BlockList | undefined {
  const entries = (text ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (family === 0 || extra !== undefined || !(bits >= 0 && bits <= (family === 6 ? 128 : 32))) {
      throw new Error(`Clue Desk: TRUSTED_PROXIES: "${entry.slice(0, 60)}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)`);
    }
    list.addSubnet(address, bits, family === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

let trusted: { list: BlockList | undefined } | undefined;

/** The process's trusted proxies; parsed on first use and at server start (lib/startup-check.ts). */
export function trustedProxies(): BlockList | undefined {
  trusted ??= { list: parseTrustedProxies(serverEnv().TRUSTED_PROXIES) };
  return trusted.list;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; `[::1]:443` and `1.2.3.4:80` lose brackets and port. Anything else is kept, capped. */
function normalize(address: string): string {
  let a = address.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.indexOf(":"));
  if (/^::ffff:[\d.]+$/i.test(a)) a = a.slice(7);
  return a.slice(0, 64);
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The client's address, or undefined when the request did not come through the front door (e.g. in tests). */
export function clientAddress(headers: Headers, proxies: BlockList | undefined = trustedProxies()): string | undefined {
  const name = peerAddressHeader();
  const peer = name === undefined ? null : headers.get(name);
  if (!peer) return undefined;
  let address = normalize(peer);
  if (proxies === undefined) return address;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map(normalize).filter(Boolean);
  while (isTrusted(proxies, address) && hops.length > 0) address = hops.pop()!;
  return address;
}
