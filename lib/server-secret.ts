import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { storeConfig } from "@/lib/store/config";

/**
 * The server's own secret, from which every keyed hash and signature of Clue Desk derives a key of its own
 * (`serverSecret("phone-hash")`, `serverSecret("cursor")`, …), so no two uses share a key.
 *
 * It is `CLUE_DESK_SECRET` when set (required with DATABASE_URL: every instance must hash phone numbers
 * alike). Otherwise the embedded setup generates one at first start and keeps it in `<data dir>/secret`
 * (mode 600): it must outlive restarts, or the stored phone hashes would stop matching.
 */

let root: Buffer | undefined;

function rootSecret(): Buffer {
  if (root) return root;
  const { secret, dataDir } = storeConfig();
  if (secret !== undefined) {
    root = Buffer.from(secret, "utf8");
    return root;
  }
  const file = path.join(dataDir, "secret");
  try {
    root = Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const generated = randomBytes(32).toString("base64url");
    // `wx` fails if another process wrote it first; then its secret is the one to use.
    try {
      writeFileSync(file, generated + "\n", { flag: "wx", mode: 0o600 });
      chmodSync(file, 0o600);
    } catch {
      // Written by a concurrent start: read below.
    }
    root = Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
  }
  if (root.length < 16) throw new Error(`Clue Desk: ${file} does not hold a usable secret; delete it to generate a new one`);
  return root;
}

/** A key for one purpose, derived from the server secret. */
export function serverSecret(purpose: string): Buffer {
  return createHmac("sha256", rootSecret()).update(purpose).digest();
}
