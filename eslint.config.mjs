import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The rooms of lib/ (README, "Architecture"), enforced. Each feature (lib/clues, lib/views, lib/audit, lib/auth,
 * lib/health, lib/notifications) keeps its tables and queries in its own `store/` folder; lib/db is the database core and lib/tanma
 * the Tanma client, and neither knows a feature. ESLint's own `no-restricted-imports`, one set of patterns per
 * kind of file (a file matching several blocks takes the last one's, so the blocks do not overlap). Tests,
 * scripts and the bench may reach into any room.
 */
const FEATURES = ["clues", "views", "audit", "auth", "health", "notifications"];
const tanma = { group: ["**/lib/tanma", "**/lib/tanma/**"], message: "Pages and components speak the domain's types (lib/clues/schema.ts and friends), never Tanma's." };
const db = { group: ["**/lib/db", "**/lib/db/**"], message: "Only a feature's store and the server's start speak to the database core; call the feature's service." };
const anyStore = { group: ["**/lib/*/store", "**/lib/*/store/**"], message: "A feature's store is its own: call its service (or its public module) instead." };
const otherStore = (feature) => ({
  group: ["**/lib/*/store", "**/lib/*/store/**", `!**/lib/${feature}/store`, `!**/lib/${feature}/store/**`],
  message: "A feature's store is its own: call its service (or its public module) instead.",
});
const features = {
  group: FEATURES.flatMap((f) => [`**/lib/${f}`, `**/lib/${f}/**`]),
  message: "The database core and the Tanma client know no feature: features import them, not the other way round.",
};
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export const importRules = [
  { files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"], ignores: ["app/api/**"], rules: restrict(tanma, db, anyStore) },
  { files: ["app/api/**/*.ts"], rules: restrict(db, anyStore) },
  { files: ["lib/db/**/*.ts", "lib/tanma/**/*.ts"], rules: restrict(features) },
  ...FEATURES.map((feature) => ({ files: [`lib/${feature}/**/*.{ts,tsx}`], rules: restrict(otherStore(feature)) })),
  {
    files: ["lib/**/*.{ts,tsx}", "instrumentation.ts", "proxy.ts"],
    ignores: ["lib/db/**", "lib/tanma/**", ...FEATURES.map((f) => `lib/${f}/**`)],
    rules: restrict(anyStore),
  },
];

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
  ...importRules,
  globalIgnores([".next/**", "next-env.d.ts", "test-results/**", "test-logs/**", "playwright-report/**"]),
]);
