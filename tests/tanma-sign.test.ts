import { describe, expect, it } from "vitest";
import { tanmaSign } from "@/lib/tanma/sign";

// The vectors published in shared/upstream/tanma-openapi.md.
describe("tanmaSign", () => {
  it.each([
    [
      '{"since":"2024-01-01 00:00:00","before":"2024-01-02 00:00:00","size":100,"type":1}',
      "a598e0a520e3571e9a54013e60aac02eea7940ab9f07e8168933bdfb07e570d1",
    ],
    ["", "7edab1691a50aa2c65de8e9ef47b8a23c9b0370c9c5243f9ef7046d871038596"],
    ["{}", "b86feeedaabe6ebc7c6c1557152dc64273359f915064e8d45809ab4e0adaafb9"],
  ])("signs %j as the doc says", (rawBody, sign) => {
    expect(tanmaSign("demoAppId", "1700000000000", rawBody, "demoAppKey")).toBe(sign);
  });

  it("changes when one byte of the body changes", () => {
    expect(tanmaSign("demoAppId", "1700000000000", '{"a":1}', "demoAppKey")).not.toBe(
      tanmaSign("demoAppId", "1700000000000", '{"a":2}', "demoAppKey"),
    );
  });
});
