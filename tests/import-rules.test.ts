import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The import rule of eslint.config.mjs (the rooms of lib/, README "Architecture") bites: the project's own
 * configuration, run through ESLint's Node API on a line of code under a made-up file name, reports each
 * import a room forbids and lets the allowed ones pass.
 */
const eslint = new ESLint();

async function restrictedImports(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as imported from "${specifier}";\nexport default imported;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the import rule (eslint.config.mjs)", () => {
  it.each([
    ["components/clues/example.tsx", "@/lib/tanma/field-types"],
    ["app/clues/example.tsx", "@/lib/tanma/client"],
    ["components/example.tsx", "@/lib/db/connection"],
    ["app/audit/page.tsx", "@/lib/db"],
    ["app/api/example/route.ts", "@/lib/db/connection"],
    ["app/api/example/route.ts", "@/lib/views/store/views"],
    ["lib/db/example.ts", "@/lib/clues/service"],
    ["lib/db/example.ts", "@/lib/audit/store/events"],
    ["lib/tanma/example.ts", "@/lib/auth/config"],
    ["lib/tanma/example.ts", "@/lib/views/schema"],
    ["lib/views/example.ts", "@/lib/clues/store/read"],
    ["lib/clues/example.ts", "@/lib/audit/store/events"],
    ["lib/api/example.ts", "@/lib/auth/store/rate-limits"],
    ["lib/start-store.ts", "@/lib/clues/store/sync"],
  ])("%s may not import %s", async (filePath, specifier) => {
    expect(await restrictedImports(filePath, specifier)).toHaveLength(1);
  });

  it.each([
    ["components/clues/example.tsx", "@/lib/clues/field-types"],
    ["app/api/example/route.ts", "@/lib/clues/service"],
    ["lib/clues/example.ts", "@/lib/clues/store/read"],
    ["lib/clues/store/example.ts", "@/lib/db/connection"],
    ["lib/clues/example.ts", "@/lib/tanma/client"],
    ["lib/tanma/example.ts", "@/lib/db/config"],
    ["lib/start-store.ts", "@/lib/clues/lifecycle"],
  ])("%s may import %s", async (filePath, specifier) => {
    expect(await restrictedImports(filePath, specifier)).toEqual([]);
  });
});
