import type { NextConfig } from "next";
import { API_CSP, STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The container image runs `node server.js` from .next/standalone: the server and only the files it needs
  // (Dockerfile). `next start` still runs the full build as before (npm start, the e2e and cluster tests).
  output: "standalone",
  // Read from disk at run time (paths from the working directory), so file tracing cannot see them: the store's
  // migrations, and the PGlite worker thread with the package it imports (the server bundle only names its types).
  outputFileTracingIncludes: {
    "/**": ["./lib/db/migrations/**/*", "./lib/db/pglite-worker.mjs", "./node_modules/@electric-sql/pglite/dist/**/*", "./node_modules/@electric-sql/pglite/package.json"],
  },
  // PGlite loads its WASM and data files from its own package directory at run time; bundling would move them.
  // ExcelJS is loaded by Node as published: bundled, its dependencies fall back to the deprecated Buffer().
  // prom-client: one copy for every route bundle, so the one registry (lib/observability/metrics.ts) has one kind of metric.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "exceljs", "prom-client"],
  reactStrictMode: true,
  // `forbidden()`: the audit log answers a non-admin with its 403 page and HTTP 403 (app/forbidden.tsx).
  experimental: { authInterrupts: true },
  // Static files too. Pages get their nonce CSP from proxy.ts; the API's CSP is static, so it is set here.
  // Chromium asks for /favicon.ico when a page's icon link is briefly absent (soft navigations in quick
  // succession, e.g. stepping through leads in the sheet): the app's icon answers rather than a 404.
  async rewrites() {
    return [{ source: "/favicon.ico", destination: "/icon.svg" }];
  },
  async headers() {
    return [
      { source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
      { source: "/api/:path*", headers: [{ key: "content-security-policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
