import "server-only";
import { constants } from "node:os";
import { closeStoreForGood } from "@/lib/db/connection";

/**
 * On SIGTERM or SIGINT the store lets go before the process exits: first what the features hold is released
 * (`release`, given by lib/start-store.ts: today's follower stops and this instance's leases and day walks are
 * let go, so another instance follows today at its next check rather than when the lease lapses 15 s later);
 * then the store closes (PGlite shut down and its
 * data-dir lock removed, so a restart finds it free; the PostgreSQL pool ended). Requests still running may
 * fail: draining them first is a fuller graceful shutdown, not this.
 *
 * `next start` has its own handlers for these signals (close the HTTP server, exit 128 + the signal's number).
 * They are put after this one, which runs first and then hands them the signal: run side by side, they would
 * exit before the store let go. Without them the process exits with that same code itself.
 */

/** The longest the store may take to let go (a PostgreSQL server that does not answer) before the exit goes on. */
const RELEASE_TIMEOUT_MS = 5_000;

async function releaseStore(release: () => Promise<void>): Promise<void> {
  try {
    await release();
  } finally {
    await closeStoreForGood();
  }
}

export function releaseStoreOnSignals(release: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const others = process.listeners(signal);
    process.removeAllListeners(signal);
    process.on(signal, () => {
      // A terminal's Ctrl-C may arrive twice (the shell and `npm start` both pass it on): once is enough.
      if (stopping) return;
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not done after ${RELEASE_TIMEOUT_MS} ms`)), RELEASE_TIMEOUT_MS);
      });
      void Promise.race([releaseStore(release), timeout])
        .then(
          () => console.info(JSON.stringify({ event: "store_closed", signal })),
          (error: unknown) => console.error(JSON.stringify({ event: "store_close_failed", signal, error: String(error) })),
        )
        .finally(() => {
          clearTimeout(timer);
          if (others.length === 0) process.exit(128 + constants.signals[signal]);
          for (const listener of others) listener(signal);
        });
    });
  }
}
