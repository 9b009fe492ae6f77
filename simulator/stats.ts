import { RollingWindow } from "./rolling-window";

export type SimulatorStats = {
  requests: number;
  byPath: Record<string, number>;
  /** By error code ("1002", "40401", "429", ...), and "injected" for simulated faults. */
  rejected: Record<string, number>;
  /** Most requests started within any 1-second window. */
  peakRps: number;
};

/** Traffic counters for Tanma requests; admin requests are not counted. */
export class TrafficStats {
  private stats: SimulatorStats = emptyStats();
  private readonly lastSecond = new RollingWindow(1000);

  started(path: string, nowMs: number): void {
    this.stats.requests++;
    this.stats.byPath[path] = (this.stats.byPath[path] ?? 0) + 1;
    this.stats.peakRps = Math.max(this.stats.peakRps, this.lastSecond.add(nowMs));
  }

  rejected(reason: string): void {
    this.stats.rejected[reason] = (this.stats.rejected[reason] ?? 0) + 1;
  }

  snapshot(): SimulatorStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = emptyStats();
    this.lastSecond.clear();
  }
}

const emptyStats = (): SimulatorStats => ({ requests: 0, byPath: {}, rejected: {}, peakRps: 0 });
