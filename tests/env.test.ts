import { afterEach, describe, expect, it, vi } from "vitest";
import { parseServerEnv } from "@/lib/env";

/** The one server environment schema (lib/env.ts), and the start-up check that applies it. */

describe("parseServerEnv", () => {
  it("treats blank variables as unset and fills the defaults", () => {
    const env = parseServerEnv({ TANMA_APP_ID: "  ", COMPANY_URL_TEMPLATE: "", CLUE_FIELD_LABELS: " " });
    expect(env.TANMA_APP_ID).toBeUndefined();
    expect(env.COMPANY_URL_TEMPLATE).toBeUndefined();
    expect(env.CLUE_FIELD_LABELS).toBeUndefined();
    expect(env).toMatchObject({ TANMA_TIMEOUT_MS: 10_000, TANMA_MAX_RPS: 10, API_RATE_LIMIT_RPS: 20 });
  });

  it("reads CLUE_FIELD_LABELS as a JSON object of labels", () => {
    expect(parseServerEnv({ CLUE_FIELD_LABELS: '{"custom_123":"渠道"}' }).CLUE_FIELD_LABELS).toEqual({ custom_123: "渠道" });
  });

  it.each(["{not json", '["渠道"]', '{"custom_123":5}', '"渠道"'])("refuses CLUE_FIELD_LABELS=%s", (value) => {
    expect(() => parseServerEnv({ CLUE_FIELD_LABELS: value })).toThrow(/CLUE_FIELD_LABELS/);
  });

  it("takes a COMPANY_URL_TEMPLATE only as an http(s) URL with {id}", () => {
    const template = "https://crm.example/company/{id}";
    expect(parseServerEnv({ COMPANY_URL_TEMPLATE: template }).COMPANY_URL_TEMPLATE).toBe(template);
    for (const bad of ["https://crm.example/company/", "crm.example/{id}", "javascript:alert({id})"]) {
      expect(() => parseServerEnv({ COMPANY_URL_TEMPLATE: bad })).toThrow(/COMPANY_URL_TEMPLATE must be an http\(s\) URL with \{id\}/);
    }
  });

  it("reads the lead store's variables: engine, secret, intervals in seconds, whole days", () => {
    expect(parseServerEnv({})).toMatchObject({ CLUE_DESK_DATA_DIR: ".data", STORE_LIVE_INTERVAL_S: 15, STORE_RETENTION_DAYS: 366 });
    expect(parseServerEnv({ DATABASE_URL: "postgresql://u@db/clues", STORE_LIVE_INTERVAL_S: "0.5" })).toMatchObject({
      DATABASE_URL: "postgresql://u@db/clues",
      STORE_LIVE_INTERVAL_S: 0.5,
    });
    expect(() => parseServerEnv({ DATABASE_URL: "mysql://db" })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => parseServerEnv({ CLUE_DESK_SECRET: "short" })).toThrow(/CLUE_DESK_SECRET must be at least 32/);
    expect(() => parseServerEnv({ STORE_RETENTION_DAYS: "1.5" })).toThrow(/STORE_RETENTION_DAYS must be a whole number/);
    expect(() => parseServerEnv({ STORE_LIVE_INTERVAL_S: "0" })).toThrow(/STORE_LIVE_INTERVAL_S must be at least 0.1/);
  });

  it("lists every bad variable in one message, by name and never by value", () => {
    let message = "";
    try {
      parseServerEnv({ TANMA_TIMEOUT_MS: "soon", CLUE_FIELD_LABELS: "{secret-ish", NEXTAUTH_URL: "secret-ish", CLUE_DESK_AUTH: "maybe" });
    } catch (error) {
      message = String(error);
    }
    for (const name of ["TANMA_TIMEOUT_MS", "CLUE_FIELD_LABELS", "NEXTAUTH_URL", "CLUE_DESK_AUTH"]) expect(message).toContain(name);
    expect(message).not.toContain("secret-ish");
  });
});

describe("the start-up check", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.CLUE_FIELD_LABELS;
  });

  it("stops the server on a bad CLUE_FIELD_LABELS instead of failing every list request later", async () => {
    process.env.CLUE_FIELD_LABELS = "{not json";
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw new Error("process.exit");
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { checkStartupConfig } = await import("@/lib/startup-check");
    expect(() => checkStartupConfig()).toThrow("process.exit");
    expect(exit).toHaveBeenCalledWith(1);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/CLUE_FIELD_LABELS must be a JSON object/);
  });
});
