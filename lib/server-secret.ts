import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { storeConfig } from "@/lib/db/config";

/**
 * Keys for what the server signs or hashes for itself (paging cursors, the store's phone-number hashes, …).
 * Each purpose gets its own key, derived from one root secret as HMAC-SHA256(root, purpose), so no two uses
 * share a key. The root is `CLUE_DESK_SECRET` (at least 32 characters; required with DATABASE_URL, where
 * every instance must hash and sign alike). Without it, the embedded setup generates a root at first start
 * and keeps it in `<data dir>/secret` (mode 600): it must outlive restarts, or the stored phone hashes would
 * stop matching. (Not NEXTAUTH_SECRET: rotating that ends every session, and must not unkey the store.)
 * Rotating the root invalidates cursors held by open pages, and whole-number search misses until days are
 * walked again.
 */

const MIN_LENGTH = 32;

export type RootSecretSource = "CLUE_DESK_SECRET" | "data dir";

/** The root from the environment, else the data dir's generated one (written on first use). */
export function parseRootSecret(env: { CLUE_DESK_SECRET?: string }, dataDir: string): { root: Buffer; source: RootSecretSource } {
  const own = env.CLUE_DESK_SECRET?.trim();
  if (own) {
    if (own.length < MIN_LENGTH) {
      throw new Error(`Clue Desk: CLUE_DESK_SECRET must be at least ${MIN_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`);
    }
    return { root: Buffer.from(own, "utf8"), source: "CLUE_DESK_SECRET" };
  }
  const file = path.join(dataDir, "secret");
  const read = () => Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
  try {
    return { root: read(), source: "data dir" };
  } catch {
    mkdirSync(dataDir, { recursive: true });
    try {
      // `wx` fails if another process wrote it first; then its secret is the one to use.
      writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { flag: "wx", mode: 0o600 });
      chmodSync(file, 0o600);
    } catch {
      // Written by a concurrent start: read below.
    }
    const root = read();
    if (root.length < 16) throw new Error(`Clue Desk: ${file} does not hold a usable secret; delete it to generate a new one`);
    return { root, source: "data dir" };
  }
}

type SecretState = { root: Buffer; source: RootSecretSource; keys: Map<string, Buffer> };

// One root per process, also when several route bundles each load this module.
const STATE = Symbol.for("clue-desk.server-secret");
const holder = globalThis as typeof globalThis & { [STATE]?: SecretState };

function state(): SecretState {
  if (holder[STATE] === undefined) {
    const { secret, dataDir } = storeConfig();
    holder[STATE] = { ...parseRootSecret({ CLUE_DESK_SECRET: secret }, dataDir), keys: new Map() };
  }
  return holder[STATE];
}

/** Where the root came from, for the start-up line (never the secret itself). */
export function rootSecretSource(): RootSecretSource {
  return state().source;
}

/** The key for one purpose, e.g. `serverSecret("paging-cursor")`. */
export function serverSecret(purpose: string): Buffer {
  const { root, keys } = state();
  let key = keys.get(purpose);
  if (key === undefined) {
    key = createHmac("sha256", root).update(purpose, "utf8").digest();
    keys.set(purpose, key);
  }
  return key;
}
