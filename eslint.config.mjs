import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * Next.js's own rules (React, the hooks rules of eslint-plugin-react-hooks 7, accessibility, imports, Core Web
 * Vitals) and typescript-eslint's recommended set. A disable directive that suppresses nothing is an error,
 * so every `eslint-disable` left in the tree is doing something.
 */
export default defineConfig([
  ...nextVitals,
  ...nextTs,
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  {
    rules: {
      // It reports what the React Compiler would skip (TanStack Table's instance). This app does not run the
      // compiler (next.config.ts has no `reactCompiler`): turning it on is a decision for its own bench run.
      "react-hooks/incompatible-library": "off",
      // `const { own: _own, ...others } = x` is how an object loses a key: the dropped key is not "unused".
      "@typescript-eslint/no-unused-vars": ["warn", { ignoreRestSiblings: true }],
    },
  },
  {
    // No React here: `useSimulator` (vitest), Playwright's `use` and the like only share the naming.
    files: ["tests/**", "e2e/**", "bench/**", "simulator/**", "scripts/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([".next/**", "next-env.d.ts", "test-results/**", "test-logs/**", "playwright-report/**"]),
]);
