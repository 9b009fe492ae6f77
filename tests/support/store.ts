/** Which engine this test file's store runs on, and where its files are (see store-setup.ts). */
export const storeEngine = (): "pglite" | "postgres" => (process.env.DATABASE_URL ? "postgres" : "pglite");
export const storeDataDir = (): string => process.env.CLUE_DESK_DATA_DIR ?? "";
