import "server-only";
import { LRUCache } from "lru-cache";
import type { DayStatus } from "@/lib/clues/store/sync";

/**
 * Answers the store computed, kept per query and per version of the days they read. Every write that can change
 * an answer about a day gives the day a new version in the same transaction (lib/clues/store/sync.ts), and a
 * sequence never hands out a version twice, so the newest version among a range's days names what the range
 * held: an answer cached under it stays exact until one of those days is written again, on this instance or any
 * other sharing the store. Most readers read the same few things (the last 7 days, the same filters, the first
 * page), and the count, a page and the facets are then read once per change instead of once per request.
 *
 * Requests asking at once for an answer not cached yet share one computation. A failed one is not kept.
 */

/** What an answer weighs: 1 for a count, the number of leads for a page; together at most `CAPACITY`. */
const CAPACITY = 20_000;

type Entry = { value: unknown; weight: number };

const globalAnswers = globalThis as typeof globalThis & {
  __clueDeskAnswers?: { kept: LRUCache<string, Entry>; computing: Map<string, Promise<unknown>> };
};

function answers() {
  globalAnswers.__clueDeskAnswers ??= {
    kept: new LRUCache<string, Entry>({ maxSize: CAPACITY, sizeCalculation: (entry) => Math.max(1, entry.weight) }),
    computing: new Map(),
  };
  return globalAnswers.__clueDeskAnswers;
}

/** The version naming what the days held (0 for no days: an empty range holds nothing, and never changes). */
export function rangeVersion(days: readonly Pick<DayStatus, "version">[]): number {
  return days.reduce((newest, day) => Math.max(newest, day.version), 0);
}

/**
 * The answer kept under `key` (which must name the kind of answer, the query and the range's version), or the
 * one `compute` gives, kept. `weigh` says how much of the capacity it takes.
 */
export async function cachedAnswer<T>(key: string, compute: () => Promise<T>, weigh: (value: T) => number = () => 1): Promise<T> {
  const { kept, computing } = answers();
  const hit = kept.get(key);
  if (hit !== undefined) return hit.value as T;
  const pending = computing.get(key);
  if (pending !== undefined) return pending as Promise<T>;
  const computed = compute()
    .then((value) => {
      kept.set(key, { value, weight: weigh(value) });
      return value;
    })
    .finally(() => computing.delete(key));
  computing.set(key, computed);
  return computed;
}
