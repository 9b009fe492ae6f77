import { defineConfig } from "drizzle-kit";

/** `npx drizzle-kit generate` writes a new versioned migration after lib/store/schema.ts changes. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/clues/store/tables.ts",
  out: "./lib/db/migrations",
});
