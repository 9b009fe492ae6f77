import "server-only";
import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import { TooManyRequestsError } from "@/lib/errors";
import { maskPhoneDigits } from "@/lib/clues/phone";
import { phoneSearch } from "@/lib/clues/search-match";
import { serverEnv } from "@/lib/env";
import { serverSecret } from "@/lib/server-secret";
import type { Searcher } from "@/lib/audit/schema";
import { recordAudit } from "@/lib/audit/store/events";
import { rows, storeDb } from "@/lib/db/connection";
import { auditEvents } from "@/lib/audit/store/tables";

/**
 * Whole-number searches. A whole mobile number in `q` finds its lead, so trying the 10,000 values of a masked
 * number's hidden digits would reveal it without the audited reveal. Each distinct number a searcher asks for
 * is therefore an audit event (`phone_search`, the number as an HMAC keyed by the server secret, never in
 * clear, and its masked form), recorded before the search runs, and those events are the limit's count: at
 * most `PHONE_SEARCH_LIMIT` distinct numbers per searcher in `WINDOW_MINUTES`, then 429 with `Retry-After`.
 * A number searched again within the window (the list's next page, its facets, its export, the live poll) is
 * neither counted nor recorded again. Being rows of the store, the count holds across instances; a
 * per-searcher advisory lock makes each decision and its record one step.
 */

export const PHONE_SEARCH_WINDOW_MINUTES = 10;

/**
 * The number's fingerprint: HMAC-SHA256 cut to 128 bits (32 hex digits), ample to tell numbers apart. Whole, it
 * would be 64 hex digits, the shape of Tanma's signatures, which no log line may carry (the e2e secret check).
 */
function numberHash(digits: string): string {
  return createHmac("sha256", serverSecret("phone-search-audit")).update(digits).digest("hex").slice(0, 32);
}

/** Admits a search (recording it when its number is new in the window), or throws `TooManyRequestsError`. */
export async function admitSearch(q: string | undefined, searcher: Searcher): Promise<void> {
  const mobile = q === undefined ? null : phoneSearch(q).mobile;
  if (mobile === null) return;
  const number = numberHash(mobile);
  const limit = serverEnv().PHONE_SEARCH_LIMIT;
  const key = JSON.stringify(["phone-search", searcher.actor, searcher.perClient ? searcher.client : null]);
  const db = await storeDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    const [window] = await rows<{ searches: number; repeated: boolean; retry_after_s: number | null }>(
      tx,
      sql`SELECT count(*)::int AS searches,
                 coalesce(bool_or(${auditEvents.detail}->>'number' = ${number}), false) AS repeated,
                 ceil(extract(epoch FROM min(${auditEvents.at}) + ${`${PHONE_SEARCH_WINDOW_MINUTES} minutes`}::interval - now()))::int AS retry_after_s
          FROM ${auditEvents}
          WHERE ${auditEvents.action} = 'phone_search'
            AND ${auditEvents.actor} IS NOT DISTINCT FROM ${searcher.actor}
            AND (${!searcher.perClient} OR ${auditEvents.client} IS NOT DISTINCT FROM ${searcher.client})
            AND ${auditEvents.at} > now() - ${`${PHONE_SEARCH_WINDOW_MINUTES} minutes`}::interval`,
    );
    if (window!.repeated) return;
    if (window!.searches >= limit) {
      throw new TooManyRequestsError(
        `整号搜索过于频繁：${PHONE_SEARCH_WINDOW_MINUTES} 分钟内最多 ${limit} 个号码，请稍后再试 (too many whole-number searches)`,
        Math.max(1, window!.retry_after_s ?? 1),
      );
    }
    await recordAudit({ action: "phone_search", ...searcher, detail: { q: maskPhoneDigits(mobile), number } }, tx);
  });
}
