import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Module resolution for every vitest run (this one, and the cluster test's, tests/cluster/vitest.config.ts). */
export const resolve = {
  alias: {
    "@": fileURLToPath(new URL("./", import.meta.url)),
    // Route handlers and the Tanma client are tested in Node directly; `server-only` guards bundles, not Node.
    "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
  },
};

export default defineConfig({
  resolve,
  test: {
    include: ["tests/**/*.test.ts"],
    // Processes of the production build against PostgreSQL: `npm run test:cluster`, after the e2e build.
    exclude: ["tests/cluster/**", "node_modules/**"],
    setupFiles: ["tests/support/store-setup.ts"],
    // A test file's first store read opens PGlite (compiling its WASM: seconds on a busy 2-core machine).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Route tests call handlers back to back from one client; tests/auth.test.ts covers the rate limit itself.
    // The touch reader's background calls would count in the tests' Tanma traffic: tests/touch.store.test.ts turns it on.
    env: { API_RATE_LIMIT_RPS: "0", TOUCH_MAX_RPS: "0" },
  },
});
