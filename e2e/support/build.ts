import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { E2E_APP_ENV, E2E_STORE_DIR } from "./tenant";

/**
 * `npm run test:e2e` builds with the e2e tenant's environment, app key included, so the secret-hygiene check
 * proves that nothing in the build inlines it into `.next/static`. The suite's lead store starts empty.
 */
rmSync(E2E_STORE_DIR, { recursive: true, force: true });
const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
  stdio: "inherit",
  env: { ...process.env, ...E2E_APP_ENV },
});
process.exit(result.status ?? 1);
