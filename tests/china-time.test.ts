import { afterEach, describe, expect, it } from "vitest";
import { addDays, chinaToday, daysBetween, formatChinaWallTime, isDay, isWallTime, parseChinaWallTime, startOfMonth } from "@/lib/china-time";

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

describe("China time", () => {
  // 2024-03-01 23:30 in Los Angeles is already 2024-03-02 15:30 in China.
  const instant = Date.UTC(2024, 2, 2, 7, 30, 0);

  it.each(["UTC", "America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"])(
    "names the same China day and wall time whatever the process zone (%s)",
    (zone) => {
      process.env.TZ = zone;
      expect(chinaToday(instant)).toBe("2024-03-02");
      expect(formatChinaWallTime(instant)).toBe("2024-03-02 15:30:00");
      expect(parseChinaWallTime("2024-03-02 15:30:00")).toBe(instant);
      expect(parseChinaWallTime("2024-03-02")).toBe(Date.UTC(2024, 2, 1, 16, 0, 0));
    },
  );

  it("round-trips wall times", () => {
    for (const wall of ["2021-05-11 15:15:48", "2024-02-29 00:00:00", "2026-12-31 23:59:59"]) {
      expect(formatChinaWallTime(parseChinaWallTime(wall))).toBe(wall);
    }
  });

  it("rejects dates that do not exist", () => {
    expect(isDay("2024-02-30")).toBe(false);
    expect(isDay("2023-02-29")).toBe(false);
    expect(isDay("2024-2-3")).toBe(false);
    expect(isWallTime("2024-01-01 24:00:00")).toBe(false);
    expect(isWallTime("2024-01-01T00:00:00")).toBe(false);
    expect(() => parseChinaWallTime("yesterday")).toThrow(RangeError);
  });

  it("does calendar arithmetic across month and year ends", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(startOfMonth("2024-03-15")).toBe("2024-03-01");
    expect(startOfMonth("2024-01-15", -1)).toBe("2023-12-01");
    expect(startOfMonth("2024-12-15", 1)).toBe("2025-01-01");
  });
});
