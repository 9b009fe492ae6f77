/**
 * The built-in simulator's public defaults, shared by the simulator and the app's Tanma configuration (which
 * must not depend on the simulator's code). The credentials are public on purpose: the simulator holds no data
 * worth protecting, and the app uses them only when no real tenant (`TANMA_APP_ID`/`TANMA_APP_KEY`) is set.
 */
export const SIMULATOR_APP_ID = "clue-desk-simulator";
export const SIMULATOR_APP_KEY = "clue-desk-simulator-public-key";
export const SIMULATOR_CREDENTIALS = { appId: SIMULATOR_APP_ID, appKey: SIMULATOR_APP_KEY } as const;
export const SIMULATOR_DEFAULT_PORT = 4010;
/** The simulator serves Tanma's paths under the same prefix as the production base URL. */
export const SIMULATOR_BASE_PATH = "/apiServer";
