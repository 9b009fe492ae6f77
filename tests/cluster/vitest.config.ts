import { defineConfig } from "vitest/config";
import { resolve } from "../../vitest.config";

/** `npm run test:cluster`: the cluster test alone, against the production build and a throwaway PostgreSQL server. */
export default defineConfig({
  resolve,
  test: {
    include: ["tests/cluster/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
