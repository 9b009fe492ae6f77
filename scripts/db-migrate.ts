import { closeStore, openStore } from "@/lib/db/connection";

/** `npm run db:migrate`: applies the lead store's pending migrations (the server also does at start), then exits. */
try {
  const { engine } = await openStore();
  console.info(`Lead store (${engine}) is up to date.`);
  await closeStore();
} catch (error) {
  console.error(`Clue Desk: migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
