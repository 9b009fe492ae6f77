/**
 * Clue Desk's security headers. Every response carries the static ones (next.config.ts, and proxy.ts again on
 * the pages it answers itself); pages get a Content-Security-Policy with a fresh nonce per request (proxy.ts),
 * which Next.js puts on its own scripts, and the API a fixed one (next.config.ts). No relative imports here:
 * next.config.ts loads this file too.
 */

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-content-type-options": "nosniff",
  // For browsers that predate CSP's frame-ancestors.
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** Page CSP: scripts only by nonce (and what they load); styles need 'unsafe-inline' for React style attributes. */
export function pageCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API answers are data, never documents: nothing may load from or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
