import { afterEach, describe, expect, it, vi } from "vitest";
import { loadDictionary } from "@/lib/clues/dictionary";
import { useSimulator } from "./support/simulator";

const simulator = useSimulator();

afterEach(() => {
  vi.useRealTimers();
  simulator().setKnobs({ latencyMs: 0 });
});

describe("the dictionary cache", () => {
  it("collapses concurrent loads into one upstream round trip and then serves from memory", async () => {
    simulator().resetStats();
    const loads = await Promise.all(Array.from({ length: 20 }, () => loadDictionary()));
    expect(new Set(loads.map((l) => l.dictionary)).size).toBe(1);
    // One round trip = the field list and the tag tree, fetched side by side.
    expect(simulator().stats().requests).toBe(2);
    await loadDictionary();
    expect(simulator().stats().requests).toBe(2);
  });

  it("answers from the stale copy at once while a refresh runs, then serves the fresh one", async () => {
    const stale = await loadDictionary();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 6 * 60_000);
    simulator().setKnobs({ latencyMs: 300 });
    simulator().resetStats();
    // Getting the stale object back proves the call did not wait for the (slowed) refresh.
    expect(await loadDictionary()).toBe(stale);
    await vi.waitFor(async () => expect(await loadDictionary()).not.toBe(stale), { timeout: 3000, interval: 50 });
    expect(simulator().stats().requests).toBe(2);
  });
});
