import { inject } from "vitest";

process.env.TANMA_SIMULATOR_URL = inject("simulatorBaseUrl");
