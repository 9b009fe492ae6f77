import { afterAll, describe, expect, it, vi } from "vitest";
import { addDays, chinaToday } from "@/lib/china-time";
import type { ClueListResponse } from "@/lib/clues/schema";
import { TANMA_PATHS } from "@/lib/tanma/schemas";
import { useSimulator } from "./support/simulator";

/**
 * `GET /api/metrics` (lib/observability/): closed without METRICS_TOKEN, 401 on a wrong token; and after a
 * known sequence of real requests (a page of today, a cold day, a request refused by the API's rate limit),
 * the families and labels it shows count exactly what happened, with no user, lead id or URL among the labels.
 * Route handlers are called directly, against a real simulator and the test's own store.
 */
const simulator = useSimulator();
const TOKEN = "metrics-test-token-0123456789";
const today = chinaToday();
const coldDay = addDays(today, -20);

afterAll(() => vi.unstubAllEnvs());

/** The route modules as a fresh server would load them: the environment is read anew. */
async function routes() {
  vi.resetModules();
  return {
    metrics: (await import("@/app/api/metrics/route")).GET,
    clues: (await import("@/app/api/clues/route")).GET,
    dictionary: (await import("@/app/api/dictionary/route")).GET,
  };
}

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus's text format, sample lines only. */
function parseSamples(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The sum over samples of `name` whose labels include `labels`. */
const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

describe("GET /api/metrics", () => {
  it("does not exist without METRICS_TOKEN", async () => {
    vi.stubEnv("METRICS_TOKEN", "");
    const { metrics } = await routes();
    const response = await metrics(new Request("http://localhost/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }), undefined);
    expect(response.status).toBe(404);
  });

  it("answers 401 without the token or with a wrong one", async () => {
    vi.stubEnv("METRICS_TOKEN", TOKEN);
    const { metrics } = await routes();
    for (const authorization of [undefined, "Bearer wrong", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const response = await metrics(new Request("http://localhost/api/metrics", { headers: authorization ? { authorization } : {} }), undefined);
      expect(response.status, String(authorization)).toBe(401);
      expect(await response.text()).not.toContain("clue_desk_");
    }
  });

  it("counts a page, a cold day and a refused request by route, status, Tanma path and outcome", async () => {
    // A burst of 3 and then one request a minute: the fourth request of the sequence is refused.
    vi.stubEnv("METRICS_TOKEN", TOKEN);
    vi.stubEnv("API_RATE_LIMIT_RPS", String(1 / 60));
    vi.stubEnv("API_RATE_LIMIT_BURST", "3");
    const { metrics, clues, dictionary } = await routes();
    const { startLeadCopy } = await import("@/lib/clues/lifecycle");
    await startLeadCopy();

    const page = await clues(new Request(`http://localhost/api/clues?since=${today}&before=${addDays(today, 1)}&size=20`), undefined);
    expect(page.status).toBe(200);
    const cold = await clues(new Request(`http://localhost/api/clues?since=${coldDay}&before=${addDays(coldDay, 1)}&size=20`), undefined);
    expect(cold.status).toBe(200);
    const coldPage = (await cold.json()) as ClueListResponse;
    expect(await dictionary(new Request("http://localhost/api/dictionary"), undefined).then((r) => r.status)).toBe(200);
    const refused = await dictionary(new Request("http://localhost/api/dictionary"), undefined);
    expect(refused.status).toBe(429);

    const response = await metrics(new Request("http://localhost/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }), undefined);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const samples = parseSamples(text);

    const requests = "clue_desk_http_request_duration_seconds_count";
    expect(valueOf(samples, requests, { route: "/api/clues", method: "GET", status: "200" })).toBe(2);
    expect(valueOf(samples, requests, { route: "/api/dictionary", method: "GET", status: "200" })).toBe(1);
    expect(valueOf(samples, requests, { route: "/api/dictionary", method: "GET", status: "429" })).toBe(1);
    expect(text).toContain("# TYPE clue_desk_http_request_duration_seconds histogram");
    expect(valueOf(samples, "clue_desk_http_request_duration_seconds_bucket", { route: "/api/clues", le: "+Inf" })).toBe(2);
    expect(valueOf(samples, "clue_desk_refusals_total", { limit: "api_rate_limit" })).toBe(1);

    // Today and the cold day were walked (today by the page and the follower together, once).
    expect(valueOf(samples, "clue_desk_store_walks_total", { kind: "day", outcome: "ok" })).toBe(2);
    expect(valueOf(samples, "clue_desk_store_walks_total", { outcome: "failed" })).toBe(0);
    expect(valueOf(samples, "clue_desk_tanma_call_duration_seconds_count", { path: TANMA_PATHS.clueList, outcome: "ok", code: "0" })).toBeGreaterThanOrEqual(2);
    expect(valueOf(samples, "clue_desk_tanma_limiter_wait_seconds_count", { caller: "system" })).toBeGreaterThanOrEqual(2);
    expect(valueOf(samples, "clue_desk_audited_actions_total")).toBe(0);

    // The store's gauges, read at the scrape: the two days' leads, both days complete, today just checked.
    const stored = simulator().cluesBetween({ since: `${coldDay} 00:00:00`, before: `${addDays(coldDay, 1)} 00:00:00` }).length;
    const todays = simulator().cluesBetween({ since: `${today} 00:00:00`, before: `${addDays(today, 1)} 00:00:00` }).length;
    expect(coldPage.total).toBe(stored);
    expect(valueOf(samples, "clue_desk_store_leads")).toBe(stored + todays);
    expect(valueOf(samples, "clue_desk_store_days")).toBe(2);
    expect(valueOf(samples, "clue_desk_store_unsynced_read_days")).toBe(0);
    expect(valueOf(samples, "clue_desk_store_live_lag_seconds")).toBeLessThan(60);
    expect(samples.some((s) => s.name === "clue_desk_process_resident_memory_bytes")).toBe(true);

    // Labels come from small fixed sets: no lead id, query string or URL among them.
    const ids = new Set(coldPage.items.map((item) => item.customerId));
    const labelValues = samples.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((value) => ids.has(value) || /[?=&]|:\/\//.test(value))).toEqual([]);
  });

  it("counts the calls Tanma's budget refuses a user", async () => {
    // One call a second and 100 ms of patience: of five details asked at once, the later ones are refused.
    vi.stubEnv("METRICS_TOKEN", TOKEN);
    vi.stubEnv("API_RATE_LIMIT_RPS", "0");
    vi.stubEnv("TANMA_MAX_RPS", "1");
    vi.stubEnv("TANMA_MAX_WAIT_MS", "100");
    const { metrics } = await routes();
    const { GET: detail } = await import("@/app/api/clues/[customerId]/route");
    const [clue] = simulator().cluesBetween({ since: `${coldDay} 00:00:00`, before: `${addDays(coldDay, 1)} 00:00:00` });
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        detail(new Request(`http://localhost/api/clues/${clue!.customerId}`), { params: Promise.resolve({ customerId: String(clue!.customerId) }) }).then((r) => r.status),
      ),
    );
    const refused = statuses.filter((status) => status === 429).length;
    expect(refused).toBeGreaterThan(0);

    const response = await metrics(new Request("http://localhost/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }), undefined);
    const samples = parseSamples(await response.text());
    expect(valueOf(samples, "clue_desk_refusals_total", { limit: "tanma_budget" })).toBe(refused);
    expect(valueOf(samples, "clue_desk_http_request_duration_seconds_count", { route: "/api/clues/[customerId]", status: "429" })).toBe(refused);
  });
});
