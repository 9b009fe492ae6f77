import "server-only";
import { constants } from "node:os";
import { closeStoreForGood } from "@/lib/db/connection";

/**
 * On SIGTERM or SIGINT the instance stops in order (lib/start-store.ts gives the steps):
 * 1. `drain` (lib/server/drain.ts) stops taking requests and lets those in flight finish, up to the grace period
 *    (SHUTDOWN_GRACE_S); meanwhile `release` lets go of what the features hold (today's follower stops and this
 *    instance's leases and day walks are let go, so another instance follows today at its next check rather
 *    than when the lease lapses 15 s later);
 * 2. then the store closes (PGlite shut down and its data-dir lock removed, so a restart finds it free; the
 *    PostgreSQL pool ended), after the last request that needed it;
 * 3. the process exits with 128 + the signal's number, as a process killed by it would.
 *
 * `next start` has its own handlers for these signals: they close the HTTP server, wait without a bound for
 * every connection, and exit, before the store could let go. They are removed and not called: the drain does
 * their work within a bound (their other step waits for `after()` tasks, which this app does not use).
 */

/** The longest releasing the features' hold, or closing the store, may take (a PostgreSQL server that does not answer). */
const RELEASE_TIMEOUT_MS = 5_000;

function bounded(step: string, work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${step}: not done after ${RELEASE_TIMEOUT_MS} ms`)), RELEASE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export type ShutdownSteps = {
  /** Lets go of what the features hold; runs while requests drain. */
  release: () => Promise<void>;
  /** Stops taking requests and waits for those in flight, within its own bound; answers how many it gave up on. */
  drain: () => Promise<number>;
};

async function shutDown({ release, drain }: ShutdownSteps, signal: NodeJS.Signals): Promise<void> {
  const releasing = release().then(() => console.info(JSON.stringify({ event: "store_released", signal })));
  const [released, unanswered] = await Promise.allSettled([bounded("release", releasing), drain()]);
  if (released.status === "rejected") console.error(JSON.stringify({ event: "store_release_failed", signal, error: String(released.reason) }));
  const left = unanswered.status === "fulfilled" ? unanswered.value : 0;
  console.info(JSON.stringify({ event: "requests_drained", signal, unanswered: left }));
  try {
    await bounded("close", closeStoreForGood());
    console.info(JSON.stringify({ event: "store_closed", signal }));
  } catch (error) {
    console.error(JSON.stringify({ event: "store_close_failed", signal, error: String(error) }));
  }
}

export function releaseStoreOnSignals(steps: ShutdownSteps): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      // A terminal's Ctrl-C may arrive twice (the shell and `npm start` both pass it on): once is enough.
      if (stopping) return;
      stopping = true;
      void shutDown(steps, signal).finally(() => process.exit(128 + constants.signals[signal]));
    });
  }
}
