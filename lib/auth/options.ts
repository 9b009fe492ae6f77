import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { type AuthConfig, authConfig } from "@/lib/auth/config";
import { decoyHash, verifyPassword } from "@/lib/auth/password";
import { allowedSessionUser, credentialDigest, type SessionClaims } from "@/lib/auth/session";
import { signInGuards } from "@/lib/auth/sign-in-throttle";

/** Auth.js (next-auth v4) options: the local user list and, when configured, the company's OIDC provider. */

type Required = Extract<AuthConfig, { required: true }>;
type OidcProfile = { sub: string; name?: string; preferred_username?: string; email?: string };

export const LOGIN_PATH = "/login";

/** Auth.js's own error codes are upper-case words; anything else reached its logger from outside. */
const AUTH_LOG_CODE = /^[A-Z][A-Z_]{0,63}$/;
const logCode = (code: unknown) => (typeof code === "string" && AUTH_LOG_CODE.test(code) ? code : "UNRECOGNISED");

function oidcProvider(oidc: NonNullable<Required["oidc"]>): OAuthConfig<OidcProfile> {
  return {
    id: "oidc",
    name: oidc.name,
    type: "oauth",
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: "openid profile email" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (profile) => ({
      id: profile.sub,
      name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub,
      email: profile.email ?? null,
    }),
  };
}

export function buildAuthOptions(config: Required): AuthOptions {
  return {
    secret: config.secret,
    useSecureCookies: config.secureCookies,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: LOGIN_PATH, error: LOGIN_PATH },
    callbacks: {
      // At sign-in the token records how the user signed in; on every later read and renewal of the session
      // the user is checked against the current configuration, and a user no longer allowed ends the session
      // (Auth.js answers an empty session and clears the cookie).
      jwt({ token, account }) {
        if (account) {
          const claims: SessionClaims =
            account.provider === "credentials"
              ? { provider: "credentials", credential: credentialDigest(config.users.get(token.sub ?? "") ?? "") }
              : { provider: "oidc" };
          return { ...token, ...claims };
        }
        if (allowedSessionUser(token, config) === undefined) throw new Error("the session's user may no longer sign in");
        return token;
      },
      // Every redirect Auth.js makes (after sign-in, sign-out, errors) stays on the app's origin.
      redirect: ({ url, baseUrl }) => baseUrl + safeCallbackPath(url, baseUrl),
    },
    // Auth.js logs are routed through here so nothing it logs can carry a credential, a token or a client's text.
    logger: {
      error: (code) => console.error(JSON.stringify({ event: "auth_error", code: logCode(code) })),
      warn: (code) => console.warn(JSON.stringify({ event: "auth_warning", code: logCode(code) })),
      debug: () => {},
    },
    providers: [
      ...(config.users.size > 0
        ? [
            CredentialsProvider({
              id: "credentials",
              name: "password",
              credentials: { username: { type: "text" }, password: { type: "password" } },
              // The route (lib/auth/auth-route.ts) throttles, logs and counts outcomes; this only checks.
              async authorize(credentials) {
                const name = typeof credentials?.username === "string" ? credentials.username.trim() : "";
                const password = typeof credentials?.password === "string" ? credentials.password : "";
                const stored = config.users.get(name);
                // Unknown names cost the same scrypt as known ones, so timing does not reveal who exists.
                const hash = stored ?? (await decoyHash());
                const ok = await signInGuards(config.signInThrottle).gate.run(() => verifyPassword(password, hash));
                return stored !== undefined && ok ? { id: name, name } : null;
              },
            }),
          ]
        : []),
      ...(config.oidc ? [oidcProvider(config.oidc)] : []),
    ],
  };
}

/** Options for the process's configuration; only meaningful when sign-in is required. */
export function authOptions(): AuthOptions | undefined {
  const config = authConfig();
  return config.required ? buildAuthOptions(config) : undefined;
}
