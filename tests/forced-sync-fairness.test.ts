import { beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueListResponse, SyncResponse } from "@/lib/clues/schema";
import { useRealTenant } from "./support/real-tenant";

/**
 * Forced syncs (刷新, `POST /api/sync`) take their user's turns: one user forcing long ranges over and over
 * may queue only so many days, and their walks share the walk places and Tanma's budget round-robin with
 * everyone else's, so another user's cold range still comes promptly and their own 刷新 is walked, not skipped.
 */

const FORCER = "mallory";
const OTHER = "bob";
const tenant = useRealTenant([FORCER, OTHER], { env: { TANMA_TIMEOUT_MS: "5000" } });
const cookies = new Map<string, string>();

beforeAll(async () => {
  for (const user of [FORCER, OTHER]) cookies.set(user, await tenant.session(user));
});

const today = chinaToday();
const params = (query: Record<string, string>) => new URLSearchParams(query).toString();

async function forceSync(user: string, since: string, before: string): Promise<{ status: number; retryAfter: string | null; body: SyncResponse & { error?: string } }> {
  const { POST } = await import("@/app/api/sync/route");
  const response = await POST(new Request(`http://localhost/api/sync?${params({ since, before })}`, { method: "POST", headers: { cookie: cookies.get(user)! } }), undefined);
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as SyncResponse & { error?: string } };
}

async function list(user: string, since: string, before: string): Promise<{ status: number; body: ClueListResponse }> {
  const { GET } = await import("@/app/api/clues/route");
  const response = await GET(new Request(`http://localhost/api/clues?${params({ since, before, size: "100" })}`, { headers: { cookie: cookies.get(user)! } }), undefined);
  return { status: response.status, body: (await response.json()) as ClueListResponse };
}

describe("forced syncs", () => {
  it("a user looping 366-day 刷新 queues a bounded number of days, and another user's cold range and own 刷新 still come through", async () => {
    const year = { since: addDays(today, -365), before: addDays(today, 1) };
    let forcerDone = false;
    const first = forceSync(FORCER, year.since, year.before).finally(() => (forcerDone = true));
    // Another stretch of days on top; then the user's queue is full.
    const second = forceSync(FORCER, addDays(today, -70), addDays(today, -39));
    const refused = await forceSync(FORCER, addDays(today, -120), addDays(today, -89));
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    // The same range again at once: every day was just forced by this user, nothing more is queued.
    const again = await forceSync(FORCER, year.since, year.before);
    expect(again).toMatchObject({ status: 200, body: { walked: 0, skipped: 366, failed: [] } });

    // Fairness as an order, not a time (a busy host makes every figure slower): the other user's cold range and
    // own 刷新 both come through while the forcer's walks are still queued.
    const cold = await list(OTHER, addDays(today, -150), addDays(today, -147));
    expect(cold.status).toBe(200);
    expect(cold.body.items.length).toBeGreaterThan(0);
    expect(forcerDone).toBe(false);

    const own = await forceSync(OTHER, today, addDays(today, 1));
    expect(forcerDone).toBe(false);
    expect(own).toMatchObject({ status: 200, body: { walked: 1, skipped: 0, failed: [] } });

    // Only the newest 31 days of the year were walked; the rest are left to reads.
    expect((await first).body).toEqual({ walked: 31, skipped: 335, failed: [] });
    expect((await second).body).toEqual({ walked: 31, skipped: 0, failed: [] });
  });
});
