import { describe, expect, it } from "vitest";
import { GET as getExport } from "@/app/api/clues/export/route";
import { addDays, chinaToday } from "@/lib/china-time";
import { useSimulator } from "./support/simulator";

/**
 * Exports are bounded per instance: at most EXPORT_MAX_CONCURRENT (default 2) stream at once, the rest are a
 * 429 with Retry-After, and a place is given back when its file has been sent or abandoned.
 */
useSimulator({ TANMA_TIMEOUT_MS: "2000" });

const today = chinaToday();
const range = { since: addDays(today, -30), before: addDays(today, 1) };
const exportRequest = () => getExport(new Request(`http://localhost/api/clues/export?${new URLSearchParams({ ...range, format: "csv" })}`), undefined);

describe("export limits", () => {
  it("streams two exports at once, answers a third with 429 and Retry-After, and takes one again once a file is done", async () => {
    const [first, second] = [await exportRequest(), await exportRequest()];
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await exportRequest();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await third.json()) as { error: string }).error).toMatch(/导出/);

    await first.arrayBuffer();
    await second.body!.cancel();
    const fourth = await exportRequest();
    expect(fourth.status).toBe(200);
    expect((await fourth.text()).split("\r\n").length).toBeGreaterThan(1000);
  });
});
