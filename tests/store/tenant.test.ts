import { describe, expect, it } from "vitest";
import { GET as getClueList } from "@/app/api/clues/route";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueListResponse } from "@/lib/clues/schema";
import { closeStore } from "@/lib/store/db";
import { stopSync } from "@/lib/store/sync";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import { useSimulator } from "../support/simulator";

/** A store holds one tenant: reopened for another, it starts empty; reopened for the same, it keeps its rows. */
const simulator = useSimulator({ STORE_LIVE_INTERVAL_S: "3600" });
const day = addDays(chinaToday(), -2);

async function listDay(): Promise<{ ids: string[]; upstreamCalls: number }> {
  simulator().resetStats();
  const response = await getClueList(new Request(`http://localhost/api/clues?since=${day}&before=${addDays(day, 1)}`), undefined);
  const body = (await response.json()) as ClueListResponse;
  return { ids: body.items.map((c) => c.customerId), upstreamCalls: simulator().stats().byPath[TANMA_PATHS.clueList] ?? 0 };
}

async function reopen(session: string) {
  await stopSync();
  await closeStore();
  process.env.CLUE_DESK_SIMULATOR_SESSION = session;
}

describe("lead store: one tenant per store", () => {
  it("keeps its rows across a restart for the same tenant and empties itself for another", async () => {
    process.env.CLUE_DESK_SIMULATOR_SESSION = "first";
    const first = await listDay();
    expect(first.upstreamCalls).toBeGreaterThan(0);

    await reopen("first");
    const again = await listDay();
    expect(again.upstreamCalls).toBe(0);
    expect(again.ids).toEqual(first.ids);

    await reopen("second");
    const other = await listDay();
    expect(other.upstreamCalls).toBeGreaterThan(0);
    expect(other.ids).toEqual(first.ids);
  });
});
