import { describe, expect, it } from "vitest";
import { EMPTY_RAW_VIEW, resolveView } from "@/lib/clues/search-params";
import { defaultRange, lastDay, matchPreset, presetRange, rangeFromInclusive, rangeLength } from "@/lib/date-presets";

describe("date presets (China days)", () => {
  const today = "2026-03-01";
  it("computes each preset as since inclusive, before exclusive", () => {
    expect(presetRange("today", today)).toEqual({ since: "2026-03-01", before: "2026-03-02" });
    expect(presetRange("yesterday", today)).toEqual({ since: "2026-02-28", before: "2026-03-01" });
    expect(presetRange("last7", today)).toEqual({ since: "2026-02-23", before: "2026-03-02" });
    expect(presetRange("last30", today)).toEqual({ since: "2026-01-31", before: "2026-03-02" });
    expect(presetRange("thisMonth", today)).toEqual({ since: "2026-03-01", before: "2026-03-02" });
    expect(presetRange("lastMonth", today)).toEqual({ since: "2026-02-01", before: "2026-03-01" });
    expect(presetRange("lastMonth", "2026-01-15")).toEqual({ since: "2025-12-01", before: "2026-01-01" });
  });
  it("defaults to the last 7 days and recognises presets", () => {
    expect(defaultRange(today)).toEqual(presetRange("last7", today));
    expect(matchPreset(presetRange("last30", today), today)).toBe("last30");
    expect(matchPreset({ since: "2026-02-02", before: "2026-02-05" }, today)).toBeUndefined();
  });
  it("shows the inclusive last day and builds ranges from two clicked days in any order", () => {
    expect(lastDay({ since: "2026-02-01", before: "2026-03-01" })).toBe("2026-02-28");
    expect(rangeFromInclusive("2026-02-10", "2026-02-03")).toEqual({ since: "2026-02-03", before: "2026-02-11" });
    expect(rangeLength({ since: "2025-03-01", before: "2026-03-02" })).toBe(366);
  });
});

describe("URL view validation", () => {
  const today = "2026-03-01";
  it("fills the default range when no dates are given", () => {
    expect(resolveView(EMPTY_RAW_VIEW, today)).toEqual({
      ok: true,
      view: { since: "2026-02-23", before: "2026-03-02", type: undefined, order: "desc", q: undefined, status: undefined, tags: [], fields: {} },
      isDefaultRange: true,
    });
  });
  it("accepts a valid view and refuses bad ones with a reason", () => {
    const ok = resolveView({ ...EMPTY_RAW_VIEW, since: "2026-02-01", before: "2026-02-03", type: "2" }, today);
    expect(ok).toMatchObject({ ok: true, view: { type: 2 } });
    for (const raw of [
      { since: "2026-02-30", before: "2026-03-01", type: null },
      { since: "2026-02-05", before: "2026-02-01", type: null },
      { since: "2024-01-01", before: "2026-03-01", type: null },
      { since: "2026-02-01", before: "2026-02-03", type: "3" },
      { since: "2026-02-01", before: null, type: null },
    ]) {
      const r = resolveView({ ...EMPTY_RAW_VIEW, ...raw }, today);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
    }
  });
});
