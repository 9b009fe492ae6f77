import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Password hashes for `CLUE_DESK_USERS`, made with Node's built-in scrypt (no dependency). The format is
 * `scrypt.<log2 N>.<r>.<p>.<salt>.<hash>` with base64url salt and hash: no `$`, `:` or `,`, so a hash survives
 * shells, `.env` files (Next.js expands `$` there) and the `name:hash,name:hash` list unquoted.
 */

const PREFIX = "scrypt";
const DEFAULTS = { log2N: 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 };

type Parsed = { log2N: number; r: number; p: number; salt: Buffer; hash: Buffer };

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number, keyBytes: number): Promise<Buffer> {
  const N = 2 ** log2N;
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes; give it headroom.
    scrypt(password.normalize("NFC"), salt, keyBytes, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function parsePasswordHash(text: string): Parsed | undefined {
  const parts = text.split(".");
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [log2N, r, p] = parts.slice(1, 4).map((n) => (/^\d{1,2}$/.test(n!) ? Number(n) : NaN));
  if (!(log2N! >= 10 && log2N! <= 20 && r! >= 1 && r! <= 32 && p! >= 1 && p! <= 16)) return undefined;
  const salt = Buffer.from(parts[4]!, "base64url");
  const hash = Buffer.from(parts[5]!, "base64url");
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { log2N: log2N!, r: r!, p: p!, salt, hash };
}

export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p, saltBytes, keyBytes } = DEFAULTS;
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, log2N, r, p, keyBytes);
  return [PREFIX, log2N, r, p, salt.toString("base64url"), hash.toString("base64url")].join(".");
}

/** Constant-time comparison; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (parsed === undefined) return false;
  const candidate = await derive(password, parsed.salt, parsed.log2N, parsed.r, parsed.p, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** A hash of nothing in particular, verified against when the user name is unknown so timing does not tell. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}
