/** Moves this realm's `Date` by `offsetMs` (see shifted-clock.mjs). */
export function shiftDate(offsetMs: number): void;
