import "server-only";
import { createHmac, randomBytes } from "node:crypto";

/**
 * Keys for what the server signs for itself (paging cursors, …). Each purpose gets its own key, derived from
 * one root secret as HMAC-SHA256(root, purpose), so no two uses share a key. The root is `CLUE_DESK_SECRET`
 * (at least 32 characters), else `NEXTAUTH_SECRET`, else random bytes drawn when the process starts: enough
 * for one instance, but instances behind one address must share `CLUE_DESK_SECRET`, or each refuses what
 * another signed. Rotating the root invalidates everything signed with it (cursors held by open pages too).
 */

const MIN_LENGTH = 32;

export type RootSecretSource = "CLUE_DESK_SECRET" | "NEXTAUTH_SECRET" | "random";

export function parseRootSecret(env: Readonly<Record<string, string | undefined>>): { root: Buffer; source: RootSecretSource } {
  const own = env.CLUE_DESK_SECRET?.trim();
  if (own) {
    if (own.length < MIN_LENGTH) {
      throw new Error(`Clue Desk: CLUE_DESK_SECRET must be at least ${MIN_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`);
    }
    return { root: Buffer.from(own, "utf8"), source: "CLUE_DESK_SECRET" };
  }
  const auth = env.NEXTAUTH_SECRET?.trim();
  if (auth) return { root: Buffer.from(auth, "utf8"), source: "NEXTAUTH_SECRET" };
  return { root: randomBytes(32), source: "random" };
}

// One root per process, also when several route bundles each load this module.
const ROOT = Symbol.for("clue-desk.server-secret");
type Holder = { [ROOT]?: { root: Buffer; source: RootSecretSource; keys: Map<string, Buffer> } };

function state() {
  const holder = globalThis as Holder;
  holder[ROOT] ??= { ...parseRootSecret(process.env), keys: new Map() };
  return holder[ROOT];
}

/** Where the root secret came from, for the start-up log line (never the secret itself). */
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
