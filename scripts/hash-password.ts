import { createInterface } from "node:readline/promises";
import { hashPassword } from "@/lib/auth/password";

/**
 * `npm run hash-password [name]`: reads a password from stdin (not from argv, so it stays out of the shell
 * history) and prints the scrypt hash, or `name:hash` ready for CLUE_DESK_USERS.
 */
const name = process.argv[2];
if (name !== undefined && !/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
  console.error("user names are letters, digits, . _ @ - (at most 64)");
  process.exit(2);
}
let password: string;
if (process.stdin.isTTY) {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write("password: ");
  // Do not echo what is typed (readline has no public switch for this).
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  password = await rl.question("");
  rl.close();
  process.stderr.write("\n");
} else {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  password = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}
if (password.length < 8) {
  console.error("use a password of at least 8 characters");
  process.exit(2);
}
const hash = await hashPassword(password);
console.log(name === undefined ? hash : `${name}:${hash}`);
