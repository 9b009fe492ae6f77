import { type NextRequest, NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { sessionUser } from "@/lib/auth/session";
import { newNonce, pageCsp, STATIC_SECURITY_HEADERS } from "@/lib/security/headers";

/**
 * In front of every page: each gets a per-request CSP nonce (Next.js reads it from the request's CSP header and
 * stamps its scripts), and with sign-in required, pages without a session go to /login. The API is not matched:
 * `handleApiRoute` is its gate (sign-in, rate limit) and next.config.ts gives it a static CSP, so an API call
 * skips a proxy pass that would only repeat that work.
 */

const LOGIN = "/login";

function withHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set("content-security-policy", csp);
  for (const [key, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(key, value);
  return response;
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const config = authConfig();
  const nonce = newNonce();
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  const signedIn = config.required ? (await sessionUser(request, config)) !== undefined : true;

  if (pathname === LOGIN) {
    // Nothing to do on the login page once signed in, or when sign-in is off.
    if (!config.required || signedIn) return withHeaders(NextResponse.redirect(new URL("/", request.url)), csp);
  } else if (!signedIn) {
    const login = new URL(LOGIN, request.url);
    login.searchParams.set("callbackUrl", pathname + search);
    return withHeaders(NextResponse.redirect(login), csp);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

export const config = {
  // `/api` itself is the API's (its JSON 404), not a page.
  matcher: ["/((?!api/|api$|_next/static|_next/image|favicon.ico).*)"],
};
