import type { NextConfig } from "next";
import { API_CSP, STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite loads its WASM and data files from its own package directory at run time; bundling would move them.
  // ExcelJS is loaded by Node as published: bundled, its dependencies fall back to the deprecated Buffer().
  serverExternalPackages: ["@electric-sql/pglite", "pg", "exceljs"],
  reactStrictMode: true,
  // Static files too. Pages get their nonce CSP from proxy.ts; the API's CSP is static, so it is set here.
  async headers() {
    return [
      { source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
      { source: "/api/:path*", headers: [{ key: "content-security-policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
