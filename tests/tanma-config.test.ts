import { describe, expect, it } from "vitest";
import { parseTanmaConfig } from "@/lib/tanma/config";
import { SIMULATOR_APP_ID } from "@/lib/tanma/simulator-defaults";

/** The message `run` throws; fails the test when it does not throw. */
function thrownMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String(error);
  }
  throw new Error("expected the configuration to be refused");
}

const SECRET = "do-not-echo-me";

describe("parseTanmaConfig", () => {
  it("runs on the built-in simulator when no tenant is configured", () => {
    const config = parseTanmaConfig({ TANMA_APP_ID: "", TANMA_APP_KEY: "  " });
    expect(config).toMatchObject({ mode: "simulator", baseUrl: "http://127.0.0.1:4010/apiServer", appId: SIMULATOR_APP_ID, timeoutMs: 10_000, maxRequestsPerSecond: 10 });
  });

  it("talks only to TANMA_BASE_URL when a tenant is configured", () => {
    const config = parseTanmaConfig({ TANMA_APP_ID: "tenant", TANMA_APP_KEY: "secret", TANMA_SIMULATOR_URL: "http://127.0.0.1:9/apiServer" });
    expect(config).toMatchObject({ mode: "tenant", baseUrl: "https://account.tanmarket.cn/apiServer", appId: "tenant", appKey: "secret" });
    expect(parseTanmaConfig({ TANMA_APP_ID: "t", TANMA_APP_KEY: "k", TANMA_BASE_URL: "https://api.tanmarket.cn:20066/api/" }).baseUrl).toBe(
      "https://api.tanmarket.cn:20066/api",
    );
  });

  // Each environment is invalid *with* the key (or the bad value) in it, so every case checks the message.
  it.each([
    [{ TANMA_APP_KEY: SECRET }, /set both TANMA_APP_ID and TANMA_APP_KEY/],
    [{ TANMA_APP_ID: SECRET }, /set both TANMA_APP_ID and TANMA_APP_KEY/],
    [{ TANMA_APP_ID: "t", TANMA_APP_KEY: SECRET, TANMA_BASE_URL: "not a url" }, /TANMA_BASE_URL must be an http\(s\) URL/],
    [{ TANMA_APP_ID: "t", TANMA_APP_KEY: SECRET, TANMA_BASE_URL: `ftp://${SECRET}.example` }, /TANMA_BASE_URL must be an http\(s\) URL/],
    [{ TANMA_APP_ID: "t", TANMA_APP_KEY: SECRET, TANMA_TIMEOUT_MS: "soon" }, /TANMA_TIMEOUT_MS must be a number/],
    [{ TANMA_APP_ID: "t", TANMA_APP_KEY: SECRET, TANMA_MAX_RPS: "0" }, /TANMA_MAX_RPS must be at least 1/],
  ])("refuses %j with a clear message that never repeats the key", (env, message) => {
    const thrown = thrownMessage(() => parseTanmaConfig(env));
    expect(thrown).toMatch(message);
    expect(thrown).not.toContain(SECRET);
  });
});
