import { z } from "zod";
import { SIMULATOR_DEFAULT_PORT } from "@/lib/tanma/simulator-defaults";
import { MAX_LEADS_PER_DAY } from "./dataset";
import { knobsSchema } from "./knobs";
import { startSimulator } from "./server";

/** `npm run simulator`: the simulator as a standalone process, configured through the environment. */

/** An unset or empty variable means "use the default". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const number = z.coerce.number({ error: "must be a number" });

const envSchema = z.object({
  TANMA_SIMULATOR_PORT: optional(number.int().min(0).max(65_535)),
  SIM_LATENCY_MS: optional(number.pipe(knobsSchema.shape.latencyMs)),
  SIM_ERROR_RATE: optional(number.pipe(knobsSchema.shape.errorRate)),
  SIM_ERROR_MODE: optional(knobsSchema.shape.errorMode),
  SIM_RATE_LIMIT_RPS: optional(number.pipe(knobsSchema.shape.rateLimitRps)),
  SIM_ARRIVALS_PER_MINUTE: optional(number.pipe(knobsSchema.shape.arrivalsPerMinute)),
  SIM_EDITS_PER_MINUTE: optional(number.pipe(knobsSchema.shape.editsPerMinute)),
  SIM_REMOVALS_PER_MINUTE: optional(number.pipe(knobsSchema.shape.removalsPerMinute)),
  SIM_SEED: optional(number.int()),
  SIM_LEADS_PER_DAY: optional(number.positive().max(MAX_LEADS_PER_DAY)),
  // Lets tests run the app in real-tenant mode against the simulator, with a key of their choosing.
  SIM_APP_ID: optional(z.string().min(1)),
  SIM_APP_KEY: optional(z.string().min(1)),
}).refine((e) => (e.SIM_APP_ID === undefined) === (e.SIM_APP_KEY === undefined), {
  error: "set both SIM_APP_ID and SIM_APP_KEY, or neither",
});

const env = envSchema.safeParse(process.env);
if (!env.success) {
  console.error(`Tanma simulator: invalid environment\n${z.prettifyError(env.error)}`);
  process.exit(1);
}

const settings = env.data;
const port = settings.TANMA_SIMULATOR_PORT ?? SIMULATOR_DEFAULT_PORT;
const simulator = await startSimulator({
  port,
  seed: settings.SIM_SEED,
  leadsPerDay: settings.SIM_LEADS_PER_DAY,
  credentials: settings.SIM_APP_ID && settings.SIM_APP_KEY ? { appId: settings.SIM_APP_ID, appKey: settings.SIM_APP_KEY } : undefined,
  // Unset ones stay undefined, which keeps the knob's default.
  knobs: {
    latencyMs: settings.SIM_LATENCY_MS,
    errorRate: settings.SIM_ERROR_RATE,
    errorMode: settings.SIM_ERROR_MODE,
    rateLimitRps: settings.SIM_RATE_LIMIT_RPS,
    arrivalsPerMinute: settings.SIM_ARRIVALS_PER_MINUTE,
    editsPerMinute: settings.SIM_EDITS_PER_MINUTE,
    removalsPerMinute: settings.SIM_REMOVALS_PER_MINUTE,
  },
}).catch((error: unknown) => {
  console.error(`Tanma simulator: cannot start on port ${port}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
console.log(`Tanma simulator on ${simulator.baseUrl} (${simulator.dataset.clues.length} clues)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => process.exit(0));
  });
}
