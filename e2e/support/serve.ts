import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * `tsx e2e/support/serve.ts <log file> <command…>`: runs a server for Playwright's webServer and copies its
 * stdout and stderr into a log file, which the secret-hygiene check scans after the run.
 */
const [logFile, command, ...args] = process.argv.slice(2);
if (!logFile || !command) {
  console.error("usage: tsx e2e/support/serve.ts <log file> <command> [args…]");
  process.exit(2);
}
mkdirSync(dirname(logFile), { recursive: true });
const log = createWriteStream(logFile, { flags: "w" });
const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
child.stdout.on("data", (chunk: Buffer) => {
  log.write(chunk);
  process.stdout.write(chunk);
});
child.stderr.on("data", (chunk: Buffer) => {
  log.write(chunk);
  process.stderr.write(chunk);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => log.end(() => process.exit(code ?? (signal ? 1 : 0))));
