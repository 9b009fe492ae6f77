import { z } from "zod";

/** The most events per minute a life knob takes: enough for a test to see many in a second. */
const MAX_EVENTS_PER_MINUTE = 6_000;
const eventsPerMinute = z.number().min(0).max(MAX_EVENTS_PER_MINUTE);

/**
 * Fault, load and life knobs, settable at start, through env (main.ts) and at runtime (`POST /__sim/knobs`).
 * The defaults below are the only copy: tests and the e2e helpers import them.
 */
export const knobsSchema = z.object({
  /** Added to every Tanma response. */
  latencyMs: z.number().int().min(0).max(60_000),
  /** Fraction (0..1) of Tanma requests that fail as `errorMode` says. */
  errorRate: z.number().min(0).max(1),
  errorMode: z.enum(["http503", "business", "reset"]),
  /** Requests admitted per rolling second; 0 = unlimited. */
  rateLimitRps: z.number().int().min(0),
  /** How far the simulator's clock is off from the caller's, to provoke 1003 (clock skew). */
  clockOffsetMs: z.number().int().min(-86_400_000).max(86_400_000),
  /** New leads created "now", at random moments (a Poisson process); 0 = none. */
  arrivalsPerMinute: eventsPerMinute,
  /** A random recent lead gets a field or tag changed; 0 = none. */
  editsPerMinute: eventsPerMinute,
  /** A random recent lead leaves the clue list (converted or deleted); 0 = none. */
  removalsPerMinute: eventsPerMinute,
});
export type SimulatorKnobs = z.infer<typeof knobsSchema>;

export const knobsPatchSchema = knobsSchema.partial().strict();

type LifeKnob = "arrivalsPerMinute" | "editsPerMinute" | "removalsPerMinute";
export type LifeRates = Pick<SimulatorKnobs, LifeKnob>;
export type FaultKnobs = Omit<SimulatorKnobs, LifeKnob>;

/** A healthy, unthrottled Tanma: what a test resets to after making it slow or failing. */
export const DEFAULT_FAULT_KNOBS: FaultKnobs = { latencyMs: 0, errorRate: 0, errorMode: "http503", rateLimitRps: 0, clockOffsetMs: 0 };
export const DEFAULT_LIFE_RATES: LifeRates = { arrivalsPerMinute: 3, editsPerMinute: 1, removalsPerMinute: 0.2 };
/** A tenant that changes only when told to: for tests that compare pages with the simulator's data. */
export const LIFE_OFF: LifeRates = { arrivalsPerMinute: 0, editsPerMinute: 0, removalsPerMinute: 0 };
export const DEFAULT_KNOBS: SimulatorKnobs = { ...DEFAULT_FAULT_KNOBS, ...DEFAULT_LIFE_RATES };

/** `current` updated with the patch's defined values; throws a ZodError on a bad patch. */
export function patchKnobs(current: SimulatorKnobs, patch: unknown): SimulatorKnobs {
  const defined = Object.entries(knobsPatchSchema.parse(patch)).filter(([, value]) => value !== undefined);
  return { ...current, ...Object.fromEntries(defined) };
}
