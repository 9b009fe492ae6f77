/**
 * Ports of the servers the e2e suite starts, away from the defaults so a running `npm start` does not clash;
 * `E2E_APP_PORT` / `E2E_SIMULATOR_PORT` move them when two checkouts run their suites at once.
 */
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT || 3100);
export const E2E_SIMULATOR_PORT = Number(process.env.E2E_SIMULATOR_PORT || 4110);
export const E2E_SIMULATOR_ORIGIN = `http://127.0.0.1:${E2E_SIMULATOR_PORT}`;
/** A page of another origin on the same host (same site), for the cross-origin checks; `E2E_CROSS_SITE_PORT` moves it. */
export const E2E_CROSS_SITE_PORT = Number(process.env.E2E_CROSS_SITE_PORT || E2E_SIMULATOR_PORT + 1);
/** The stand-in group robot the notifications spec starts (tests/support/robot-server.ts), which the app's NOTIFY_ALLOWED_HOSTS lists; `E2E_ROBOT_PORT` moves it. */
export const E2E_ROBOT_PORT = Number(process.env.E2E_ROBOT_PORT || E2E_SIMULATOR_PORT + 2);
