import { defineConfig } from "drizzle-kit";

/**
 * `npx drizzle-kit generate` writes a new versioned migration after any feature's tables change. Each feature
 * owns its tables in a `tables.ts` of its own (lib/db/tables.ts for the core's); this glob is the one place
 * that gathers them, so the database core imports no feature.
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/**/tables.ts",
  out: "./lib/db/migrations",
});
