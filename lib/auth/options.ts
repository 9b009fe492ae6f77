import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { type AuthConfig, authConfig } from "@/lib/auth/config";
import { decoyHash, verifyPassword } from "@/lib/auth/password";

/** Auth.js (next-auth v4) options: the local user list and, when configured, the company's OIDC provider. */

type Required = Extract<AuthConfig, { required: true }>;
type OidcProfile = { sub: string; name?: string; preferred_username?: string; email?: string };

export const LOGIN_PATH = "/login";

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
    // Auth.js logs are routed through here so nothing it logs can carry a credential or token.
    logger: {
      error: (code) => console.error(JSON.stringify({ event: "auth_error", code })),
      warn: (code) => console.warn(JSON.stringify({ event: "auth_warning", code })),
      debug: () => {},
    },
    providers: [
      ...(config.users.size > 0
        ? [
            CredentialsProvider({
              id: "credentials",
              name: "password",
              credentials: { username: { type: "text" }, password: { type: "password" } },
              async authorize(credentials) {
                const name = credentials?.username?.trim() ?? "";
                const password = credentials?.password ?? "";
                const stored = config.users.get(name);
                // Unknown names cost the same scrypt as known ones, so timing does not reveal who exists.
                const ok = await verifyPassword(password, stored ?? (await decoyHash()));
                if (stored === undefined || !ok) {
                  console.warn(JSON.stringify({ event: "sign_in_failed", provider: "credentials" }));
                  return null;
                }
                console.info(JSON.stringify({ event: "sign_in", provider: "credentials", user: name }));
                return { id: name, name };
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
