import { statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { GET as getFollowUps } from "@/app/api/clues/[customerId]/follow-ups/route";
import { GET as getClueList } from "@/app/api/clues/route";
import { openCursor, sealCursor } from "@/lib/api/sealed-cursor";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueListResponse, FollowUpListResponse } from "@/lib/clues/schema";
import { parseRootSecret, serverSecret } from "@/lib/server-secret";
import { useSimulator } from "./support/simulator";

/** Cursors the API hands out are sealed; anything else is a 400 without a call to Tanma. */
const simulator = useSimulator();

describe("sealCursor / openCursor", () => {
  it("opens what it sealed and nothing else", () => {
    const sealed = sealCursor("AAAAAGCaL2kAAAAAAAAAAAAAAAAAAAn8");
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(openCursor(sealed)).toBe("AAAAAGCaL2kAAAAAAAAAAAAAAAAAAAn8");
    expect(openCursor(sealCursor("中文 and\nnewlines"))).toBe("中文 and\nnewlines");
    const [payload, tag] = sealed.split(".") as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    for (const forged of [
      "",
      "AAAAAGCaL2kAAAAAAAAAAAAAAAAAAAn8",
      `${payload}.`,
      `.${tag}`,
      `${flip(payload, 3)}.${tag}`,
      `${payload}.${flip(tag, 5)}`,
      `${payload}.${tag}A`,
      `${payload}=.${tag}`,
      `${payload}.${tag}.x`,
      `${payload}.${tag.slice(0, 42)}${tag[42] === "A" ? "B" : "A"}`,
    ]) {
      expect(openCursor(forged), forged).toBeNull();
    }
  });

  it("keys each purpose apart from one root, which must be long enough", () => {
    expect(serverSecret("paging-cursor").equals(serverSecret("paging-cursor"))).toBe(true);
    expect(serverSecret("paging-cursor").equals(serverSecret("something-else"))).toBe(false);
    const dir = (name: string) => path.join(tmpdir(), `clue-secret-${process.pid}-${name}`);
    expect(() => parseRootSecret({ CLUE_DESK_SECRET: "too-short" }, dir("a"))).toThrow(/at least 32 characters/);
    expect(parseRootSecret({ CLUE_DESK_SECRET: "x".repeat(32) }, dir("a")).source).toBe("CLUE_DESK_SECRET");
    // Without it, one generated root per data dir, the same at every start (the phone hashes depend on it).
    const generated = [parseRootSecret({}, dir("a")), parseRootSecret({}, dir("a")), parseRootSecret({}, dir("b"))];
    expect(generated.map((r) => r.source)).toEqual(["data dir", "data dir", "data dir"]);
    expect(generated[0]!.root.equals(generated[1]!.root)).toBe(true);
    expect(generated[0]!.root.equals(generated[2]!.root)).toBe(false);
    expect(statSync(path.join(dir("a"), "secret")).mode & 0o777).toBe(0o600);
  });

  it("refuses cursors sealed under another root (another instance without a shared CLUE_DESK_SECRET)", async () => {
    const sealed = sealCursor("position");
    vi.stubEnv("CLUE_DESK_SECRET", "another-instance-secret-0123456789-abc");
    vi.resetModules();
    try {
      delete (globalThis as Record<symbol, unknown>)[Symbol.for("clue-desk.server-secret")];
      const other = await import("@/lib/api/sealed-cursor");
      expect(other.openCursor(sealed)).toBeNull();
      expect(other.openCursor(other.sealCursor("position"))).toBe("position");
    } finally {
      vi.unstubAllEnvs();
      delete (globalThis as Record<symbol, unknown>)[Symbol.for("clue-desk.server-secret")];
      vi.resetModules();
    }
  });
});

describe("GET /api/clues/{id}/follow-ups", () => {
  it("answers 400 to a cursor it did not issue, or issued for another clue or the list, without calling Tanma", async () => {
    const today = chinaToday();
    const list = (query: Record<string, string>) => getClueList(new Request(`http://localhost/api/clues?${new URLSearchParams(query)}`), undefined);
    const page = (await (await list({ since: addDays(today, -60), before: addDays(today, -58), size: "100" })).json()) as ClueListResponse;
    const followUps = (id: string, cursor: string) =>
      getFollowUps(new Request(`http://localhost/api/clues/${id}/follow-ups?${new URLSearchParams({ cursor })}`), { params: Promise.resolve({ customerId: id }) });
    // A clue with more than one page of follow-ups, and its second page's cursor.
    let issued: { id: string; cursor: string } | undefined;
    for (const clue of page.items) {
      const first = (await (await getFollowUps(new Request("http://localhost"), { params: Promise.resolve({ customerId: clue.customerId }) })).json()) as FollowUpListResponse;
      if (first.nextCursor !== null) {
        issued = { id: clue.customerId, cursor: first.nextCursor };
        break;
      }
    }
    expect(issued).toBeDefined();
    const other = page.items.find((c) => c.customerId !== issued!.id)!.customerId;
    simulator().resetStats();
    for (const [id, cursor] of [
      [issued!.id, "not-a-cursor"],
      [other, issued!.cursor],
      [issued!.id, page.nextCursor ?? sealCursor("x")],
    ] as const) {
      const response = await followUps(id, cursor);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/cursor is not one this server issued/);
    }
    expect(simulator().stats().requests).toBe(0);
    expect((await followUps(issued!.id, issued!.cursor)).status).toBe(200);
  });
});
