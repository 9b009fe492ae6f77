import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // Route handlers and the Tanma client are tested in Node directly; `server-only` guards bundles, not Node.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/support/store-setup.ts"],
    // A test file's first store read opens PGlite (compiling its WASM: seconds on a busy 2-core machine).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Route tests call handlers back to back from one client; tests/auth.test.ts covers the rate limit itself.
    env: { API_RATE_LIMIT_RPS: "0" },
  },
});
