import { spawnSync } from "node:child_process";
import { startThrowawayPostgres } from "./postgres";

/**
 * `tsx scripts/with-postgres.ts <command…>`: runs a command against a throwaway PostgreSQL server
 * (scripts/postgres.ts), with TEST_POSTGRES_URL pointing at it, then stops the server and removes it.
 */

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: tsx scripts/with-postgres.ts <command> [args…]");
  process.exit(2);
}

let exitCode = 1;
try {
  const server = await startThrowawayPostgres();
  try {
    console.info(`PostgreSQL (${server.bin}) at ${server.url} for: ${command.join(" ")}`);
    const run = spawnSync(command[0]!, command.slice(1), { stdio: "inherit", env: { ...process.env, TEST_POSTGRES_URL: server.url } });
    exitCode = run.status ?? 1;
  } finally {
    server.stop();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
}
process.exit(exitCode);
