/** Counts events in the last `spanMs` (a rolling window, not fixed buckets), for rate limiting and peak RPS. */
export class RollingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly spanMs: number) {}

  /** Events in (nowMs - spanMs, nowMs]. */
  count(nowMs: number): number {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= nowMs - this.spanMs) this.head++;
    // Drop expired entries now and then rather than shifting on every call.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Records an event and returns the count including it. */
  add(nowMs: number): number {
    this.times.push(nowMs);
    return this.count(nowMs);
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }
}
