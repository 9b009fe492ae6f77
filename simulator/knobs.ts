import { z } from "zod";

/** Fault and load knobs, settable at start, through env (main.ts) and at runtime (`POST /__sim/knobs`). */
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
});
export type SimulatorKnobs = z.infer<typeof knobsSchema>;

export const knobsPatchSchema = knobsSchema.partial().strict();

export const DEFAULT_KNOBS: SimulatorKnobs = { latencyMs: 0, errorRate: 0, errorMode: "http503", rateLimitRps: 0, clockOffsetMs: 0 };

/** `current` updated with the patch's defined values; throws a ZodError on a bad patch. */
export function patchKnobs(current: SimulatorKnobs, patch: unknown): SimulatorKnobs {
  const defined = Object.entries(knobsPatchSchema.parse(patch)).filter(([, value]) => value !== undefined);
  return { ...current, ...Object.fromEntries(defined) };
}
