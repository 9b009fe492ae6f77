import "server-only";
import { authConfig } from "@/lib/auth/config";
import { serverEnv } from "@/lib/env";
import { storeConfig } from "@/lib/db/config";
import { trustedProxies } from "@/lib/security/client-address";
import { rootSecretSource } from "@/lib/server-secret";
import { tanmaConfig } from "@/lib/tanma/config";

/**
 * A bad variable (lib/env.ts), a wrong Tanma configuration, or a real tenant with no way to sign in stops the
 * server with a message saying why instead of failing on the first request. Next.js only logs a throwing
 * `register()` and goes on serving, hence the explicit exit.
 */
export function checkStartupConfig(): void {
  try {
    serverEnv(); // every variable's own rules first, all problems in one message
    const { mode, baseUrl } = tanmaConfig();
    const auth = authConfig();
    const store = storeConfig();
    const proxies = trustedProxies();
    const secret = rootSecretSource();
    console.info(
      JSON.stringify({
        event: "startup_config",
        tanma: { mode, baseUrl },
        signIn: auth.required ? "required" : "off",
        users: auth.required ? auth.users.size : 0,
        oidc: auth.required && !!auth.oidc,
        store: store.engine.kind,
        trustedProxies: proxies !== undefined,
        serverSecret: secret,
      }),
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
