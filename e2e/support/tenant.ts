import { SIMULATOR_BASE_PATH } from "../../lib/tanma/simulator-defaults";
import { E2E_APP_PORT, E2E_ROBOT_PORT, E2E_SIMULATOR_PORT } from "./ports";

/**
 * The e2e suite runs Clue Desk in real-tenant mode: the simulator plays the tenant with this credential pair,
 * so sign-in is required exactly as in production. The app key is a distinctive string the secret-hygiene
 * check looks for everywhere (bundles, HTML, API answers, server logs).
 */
export const E2E_APP_ID = "clue-desk-e2e-tenant";
export const E2E_APP_KEY = "e2eAppKey-7Qm4Zt9Xw2Lc8Rv5-NEVER-LEAK";

export const E2E_USERS = {
  // Passwords of test users only; hashes made with `npm run hash-password`.
  alice: { name: "e2e-alice", password: "e2e-alice-pw-4471", hash: "scrypt.15.8.1.PZ84amnuGFAUr0NtwdcVtg.ywUlAYvZBsDZr30KfzdGbL14yXEDfqhO1pRSUrwyAUU" },
  bob: { name: "e2e-bob", password: "e2e-bob-pw-8823", hash: "scrypt.15.8.1.5jzmV2mT7EenQ8DzKn1w6A.uYME49fDENBIHxVkx4PmtDkHqlgK8ZdjVEL0cPaKxqQ" },
} as const;

export const E2E_NEXTAUTH_SECRET = "e2e-nextauth-secret-0f4b2c9d8e7a6b5c4d3e";

/** Files the servers' output goes to, scanned by the secret-hygiene check (outside test-results, which Playwright empties). */
export const E2E_LOG_DIR = "test-logs";
export const E2E_APP_LOG = `${E2E_LOG_DIR}/server.log`;
export const E2E_SIMULATOR_LOG = `${E2E_LOG_DIR}/simulator.log`;
export const E2E_STORAGE_STATE = `${E2E_LOG_DIR}/alice.storage.json`;
export const E2E_STORE_DIR = `${E2E_LOG_DIR}/store`;

/** The app's environment, for `next build` (e2e/support/build.ts) and `next start` alike. */
export const E2E_APP_ENV: Record<string, string> = {
  TANMA_APP_ID: E2E_APP_ID,
  TANMA_APP_KEY: E2E_APP_KEY,
  TANMA_BASE_URL: `http://127.0.0.1:${E2E_SIMULATOR_PORT}${SIMULATOR_BASE_PATH}`,
  TANMA_SIMULATOR_URL: "",
  CLUE_DESK_USERS: Object.values(E2E_USERS)
    .map((u) => `${u.name}:${u.hash}`)
    .join(","),
  NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
  // alice reads the audit trail; bob is an ordinary user (e2e/audit.spec.ts).
  CLUE_DESK_ADMINS: E2E_USERS.alice.name,
  NEXTAUTH_URL: `http://127.0.0.1:${E2E_APP_PORT}`,
  COMPANY_URL_TEMPLATE: "https://crm.example.invalid/company/{id}",
  // A store of the suite's own, emptied before each run (e2e/support/build.ts), away from `npm start`'s.
  CLUE_DESK_DATA_DIR: E2E_STORE_DIR,
  // The touch reader reads today's leads only, each soon after it changes (e2e/touch.spec.ts watches one).
  TOUCH_WINDOW_DAYS: "1",
  TOUCH_POLL_INTERVAL_S: "2",
  // Messages link back to the desk; robots may be only the suite's stand-in (e2e/notifications.spec.ts).
  CLUE_DESK_PUBLIC_URL: `http://127.0.0.1:${E2E_APP_PORT}`,
  NOTIFY_ALLOWED_HOSTS: `127.0.0.1:${E2E_ROBOT_PORT}`,
};
