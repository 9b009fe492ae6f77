import { UpstreamBusyError } from "@/lib/tanma/errors";

/**
 * Where the next upstream call may start. This process's own clock (`LocalStartSlots`) with the embedded
 * store; with several instances on one PostgreSQL store, a schedule kept there (lib/tanma/upstream-quota.ts),
 * so that the budget holds for all of them together.
 */
export interface StartSlots {
  /** Milliseconds between starts while the budget is in full use: the cost of one call ahead in a queue. */
  readonly spacingMs: number;
  /** The clock reservations are measured on (milliseconds). */
  now(): number;
  /** Reserves the next start for a waiting call; answers how many milliseconds from now it may begin. */
  reserve(): number | Promise<number>;
  /** Milliseconds until a start could begin without waiting, as far as this process knows (for estimates). */
  msUntilFree(): number;
  /** Starts the window allows. */
  readonly limit: number;
  /** Starts that could begin now within the window, as far as this process knows. */
  freeStarts(): number;
}

/**
 * At most `limit` starts in any rolling window of `windowMs`. While the window is full, starts are also spaced
 * `windowMs / limit` apart, so slots come back one by one rather than in the bursts in which old starts age
 * out: a caller that joins a busy limiter waits for the next spaced slot, not for the next burst.
 */
export class LocalStartSlots implements StartSlots {
  readonly spacingMs: number;
  /** Start times of the last `limit` reservations (some may lie ahead). */
  private readonly starts: number[] = [];

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    readonly now: () => number = () => performance.now(),
  ) {
    this.spacingMs = windowMs / limit;
  }

  freeStarts(): number {
    const windowStart = this.now() - this.windowMs;
    return this.limit - this.starts.filter((at) => at > windowStart).length;
  }

  private nextFree(now: number): number {
    if (this.starts.length < this.limit) return now;
    const windowFrees = this.starts[this.starts.length - this.limit]! + this.windowMs;
    const spaced = this.starts[this.starts.length - 1]! + this.spacingMs;
    return Math.max(now, windowFrees, spaced);
  }

  msUntilFree(): number {
    const now = this.now();
    return this.nextFree(now) - now;
  }

  reserve(): number {
    const now = this.now();
    const at = this.nextFree(now);
    this.starts.push(at);
    if (this.starts.length > this.limit) this.starts.shift();
    return at - now;
  }
}

/**
 * Waiting work per caller, taken round-robin: one item of the first caller in line, who then goes to the back
 * of the line if more of theirs waits. A caller with a long queue delays each other caller by one item per
 * turn, not by its whole queue.
 */
export class RoundRobinQueues<Caller, T> {
  /** Each caller's waiting items; the map's insertion order is the round-robin order. */
  private readonly queues = new Map<Caller, T[]>();

  /** Callers with something waiting. */
  get callers(): number {
    return this.queues.size;
  }

  lengthOf(caller: Caller): number {
    return this.queues.get(caller)?.length ?? 0;
  }

  /** Each waiting caller's queue length. */
  *lengths(): Generator<[Caller, number]> {
    for (const [caller, queue] of this.queues) yield [caller, queue.length];
  }

  push(caller: Caller, item: T): void {
    const queue = this.queues.get(caller);
    if (queue) queue.push(item);
    else this.queues.set(caller, [item]);
  }

  /** The next item in round-robin order, if any. */
  shift(): T | undefined {
    const next = this.queues.entries().next();
    if (next.done) return undefined;
    const [caller, queue] = next.value;
    this.queues.delete(caller);
    const item = queue.shift();
    if (queue.length > 0) this.queues.set(caller, queue); // to the back of the round
    return item;
  }
}

/**
 * At most `concurrency` tasks at once, the waiting ones started round-robin per caller (the store's day walks:
 * one user's forced walks of many days take turns with everyone else's, instead of filling every place).
 */
export class FairConcurrency<Caller> {
  private running = 0;
  private readonly waiting = new RoundRobinQueues<Caller, () => void>();

  constructor(private readonly concurrency: number) {}

  run<T>(caller: Caller, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(caller, () => {
        this.running++;
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.startWaiting();
          });
      });
      this.startWaiting();
    });
  }

  private startWaiting(): void {
    while (this.running < this.concurrency) {
      const start = this.waiting.shift();
      if (start === undefined) return;
      start();
    }
  }
}

/** How late after its slot a call may still start. */
const LATE_START_MS = 40;
/** Slots given up in a row before a late call starts anyway. */
const MAX_LATE_SLOTS = 3;

/**
 * The gate in front of Tanma: calls start in the slots a `StartSlots` hands out, one reservation at a time, and
 * the calls waiting for a slot are started round-robin, one per caller per turn: a caller with a long queue
 * delays each other caller by one call per turn, not by its whole queue. Who goes is decided when the slot
 * comes, so a caller that joins while a slot is awaited is in that turn's round. A call may carry a bound on
 * how long it is willing to wait; when its estimated wait is longer it is refused at once with
 * `UpstreamBusyError`, so queues stay as short as callers' patience.
 */
export class FairLimiter<Caller> {
  /** Each caller's waiting calls. */
  private readonly queues = new RoundRobinQueues<Caller, () => void>();
  /** Calls that take only slots no caller above waits for (`runSpare`), in order. */
  private readonly spare: (() => void)[] = [];
  /** Set while a reserved slot is awaited. */
  private awaiting: Promise<void> | undefined;
  /** Slots given up in a row because they came too late. */
  private lateSlots = 0;
  /** Set while spare calls wait for the window to empty enough. */
  private spareTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly slots: StartSlots) {}

  /**
   * Estimated milliseconds before a call `caller` queued now would start: its own queue ahead of it, plus, per
   * other caller, the turns that caller gets before it (one per round, at most its queue length).
   */
  estimateWaitMs(caller: Caller): number {
    const own = this.queues.lengthOf(caller);
    let ahead = own;
    for (const [other, length] of this.queues.lengths()) if (other !== caller) ahead += Math.min(length, own + 1);
    return this.slots.msUntilFree() + ahead * this.slots.spacingMs;
  }

  /** Runs `task` in `caller`'s turn; with `maxWaitMs`, refuses at once when the estimated wait is longer. */
  run<T>(caller: Caller, task: () => Promise<T>, maxWaitMs?: number): Promise<T> {
    if (maxWaitMs !== undefined) {
      const waitMs = this.estimateWaitMs(caller);
      if (waitMs > maxWaitMs) return Promise.reject(new UpstreamBusyError(Math.max(1, Math.ceil(waitMs / 1000))));
    }
    return this.enqueue(task, (start) => this.queues.push(caller, start));
  }

  /**
   * Runs `task` in a slot no other call waits for: background work that must never delay anyone (the touch
   * reader). Such calls start only while no caller waits and at least half the window's starts are free (a
   * spare start must not be the one that fills the window in front of a user's call), never count in another
   * caller's estimated wait, and a call that arrives while a slot is awaited for one takes that slot.
   */
  runSpare<T>(task: () => Promise<T>): Promise<T> {
    return this.enqueue(task, (start) => this.spare.push(start));
  }

  private enqueue<T>(task: () => Promise<T>, push: (start: () => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        try {
          task().then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      };
      push(start);
      this.pump();
    });
  }

  private pump(): void {
    while (this.awaiting === undefined && (this.queues.callers > 0 || this.spare.length > 0)) {
      if (this.queues.callers === 0 && this.slots.freeStarts() < Math.ceil(this.slots.limit / 2)) {
        // Only spare work waits, and the window is busy: look again a slot later (a caller's call comes first).
        this.spareTimer ??= setTimeout(() => {
          this.spareTimer = undefined;
          this.pump();
        }, Math.ceil(this.slots.spacingMs));
        return;
      }
      const askedAt = this.slots.now();
      const delay = this.slots.reserve();
      if (typeof delay === "number" && delay <= 0) {
        this.startNext();
        continue;
      }
      this.awaiting = Promise.resolve(delay)
        .then((ms) => new Promise<number>((resolve) => (ms > 0 ? setTimeout(() => resolve(ms), Math.ceil(ms)) : resolve(ms))))
        .then((ms) => {
          this.awaiting = undefined;
          // A start long after its slot (a busy event loop, a slow answer from the store) would land among the
          // starts after it and crowd the window: it takes a new slot instead, a few times at most, so that a
          // machine that is late all the time still makes progress. The slot given up stays counted.
          const late = this.slots.now() - askedAt - ms > LATE_START_MS;
          if (late && this.lateSlots < MAX_LATE_SLOTS) this.lateSlots++;
          else {
            this.lateSlots = 0;
            this.startNext();
          }
          this.pump();
        });
    }
  }

  private startNext(): void {
    (this.queues.shift() ?? this.spare.shift())!();
  }
}
