import { UpstreamBusyError } from "@/lib/tanma/errors";

/**
 * The gate in front of Tanma. At most `limit` calls start in any rolling window of `windowMs`, and the calls
 * waiting for a slot are started round-robin, one per caller per turn: a caller with a long queue delays each
 * other caller by one call per turn, not by its whole queue. While the window is full, starts are also spaced
 * `windowMs / limit` apart, so slots come back one by one rather than in the bursts in which old starts age
 * out: a caller that joins a busy limiter waits for the next spaced slot, not for the next burst. A call may carry a bound on how long it is willing
 * to wait; when its estimated wait is longer it is refused at once with `UpstreamBusyError`, so queues stay as
 * short as callers' patience.
 */
export class FairLimiter<Caller> {
  /** Each caller's waiting calls; the map's insertion order is the round-robin order. */
  private readonly queues = new Map<Caller, (() => void)[]>();
  /** Start times of the last `limit` calls. */
  private readonly starts: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Estimated milliseconds before a call `caller` queued now would start: its own queue ahead of it, plus, per
   * other caller, the turns that caller gets before it (one per round, at most its queue length).
   */
  estimateWaitMs(caller: Caller): number {
    const own = this.queues.get(caller)?.length ?? 0;
    let ahead = own;
    for (const [other, queue] of this.queues) if (other !== caller) ahead += Math.min(queue.length, own + 1);
    return this.msUntilSlot() + (ahead * this.windowMs) / this.limit;
  }

  /** Runs `task` in `caller`'s turn; with `maxWaitMs`, refuses at once when the estimated wait is longer. */
  run<T>(caller: Caller, task: () => Promise<T>, maxWaitMs?: number): Promise<T> {
    if (maxWaitMs !== undefined) {
      const waitMs = this.estimateWaitMs(caller);
      if (waitMs > maxWaitMs) return Promise.reject(new UpstreamBusyError(Math.max(1, Math.ceil(waitMs / 1000))));
    }
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        try {
          task().then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      };
      const queue = this.queues.get(caller);
      if (queue) queue.push(start);
      else this.queues.set(caller, [start]);
      this.pump();
    });
  }

  private msUntilSlot(): number {
    if (this.starts.length < this.limit) return 0;
    const windowFrees = this.starts[this.starts.length - this.limit]! + this.windowMs;
    const spaced = this.starts[this.starts.length - 1]! + this.windowMs / this.limit;
    return Math.max(0, Math.max(windowFrees, spaced) - this.now());
  }

  private pump(): void {
    if (this.timer !== undefined) return; // already waiting for the next slot
    while (this.queues.size > 0) {
      const delay = this.msUntilSlot();
      if (delay > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.ceil(delay));
        return;
      }
      const [caller, queue] = this.queues.entries().next().value!;
      this.queues.delete(caller);
      const start = queue.shift()!;
      if (queue.length > 0) this.queues.set(caller, queue); // to the back of the round
      this.starts.push(this.now());
      if (this.starts.length > this.limit) this.starts.shift();
      start();
    }
  }
}
