import "server-only";
import { sql } from "drizzle-orm";
import { rows, storeDb } from "@/lib/db/connection";
import { LocalFallback } from "@/lib/db/local-fallback";
import { LocalStartSlots, type StartSlots } from "@/lib/tanma/fair-limiter";

/**
 * Tanma's request budget shared by every instance on one PostgreSQL store. The `upstream_quota` row holds the
 * start times of the last `limit` upstream calls, whichever instance made them; reserving a start is one
 * statement that computes the next free time by the rules of `LocalStartSlots` (at most `limit` in any
 * window, spaced while full), appends it and answers how long to wait for it. The database's clock is the
 * only one consulted, so instances whose clocks disagree still share one schedule; each instance reserves one
 * start at a time, so a busy instance cannot book the future away from the others.
 *
 * If the store cannot be reached, calls fall back to this process's own schedule (and say so once), so a
 * database hiccup slows no one down more than a single instance would be.
 */
export class SharedStartSlots implements StartSlots {
  readonly spacingMs: number;
  private readonly local: LocalStartSlots;
  private readonly fallback = new LocalFallback("upstream_quota");
  /** `performance.now()` at which the schedule was last known to be free again. */
  private freeAt = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly name = "tanma",
  ) {
    this.spacingMs = windowMs / limit;
    this.local = new LocalStartSlots(limit, windowMs);
  }

  now(): number {
    return performance.now();
  }

  msUntilFree(): number {
    return Math.max(0, this.freeAt - performance.now());
  }

  /** The shared schedule's fill is known only to the store: all of it while this process's last reservation has passed. */
  freeStarts(): number {
    return this.msUntilFree() > 0 ? 0 : this.limit;
  }

  reserve(): Promise<number> {
    return this.fallback.run(
      async () => {
        const waitMs = await reserveSharedStart(this.name, this.limit, this.windowMs);
        this.freeAt = performance.now() + waitMs + this.spacingMs;
        return waitMs;
      },
      () => this.local.reserve(),
    );
  }
}

/** Reserves the next start in the shared schedule `name`; answers the milliseconds to wait for it. */
export async function reserveSharedStart(name: string, limit: number, windowMs: number): Promise<number> {
  const db = await storeDb();
  const ms = (value: number) => sql`${value} * interval '1 millisecond'`;
  const [row] = await rows<{ wait_ms: number }>(
    db,
    sql`
      INSERT INTO upstream_quota AS q (name, starts) VALUES (${name}, ARRAY[clock_timestamp()])
      ON CONFLICT (name) DO UPDATE SET starts = (
        SELECT (q.starts || next.at)[greatest(1, cardinality(q.starts) + 2 - ${limit}::int):]
        FROM (SELECT greatest(
          clock_timestamp(),
          q.starts[cardinality(q.starts) + 1 - ${limit}::int] + ${ms(windowMs)},
          CASE WHEN cardinality(q.starts) >= ${limit}::int THEN q.starts[cardinality(q.starts)] + ${ms(windowMs / limit)} END
        ) AS at) next
      )
      RETURNING greatest(0, extract(epoch FROM starts[cardinality(starts)] - clock_timestamp()) * 1000)::float8 AS wait_ms`,
  );
  return Number(row!.wait_ms);
}
