import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { readFile } from "node:fs/promises";
import type { ClueFacetsResponse } from "../lib/clues/schema";
import { addDays, apiIds, apiTotal, chinaToday, findClue } from "./pages/api";
import { ClueListPage } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";
import { resetSimulatorKnobs, setSimulatorKnobs, simulatorClues } from "./support/simulator";

/**
 * The lead desk against the production build and the simulator: server-side search (by name, by a whole
 * mobile number), filters whose counts equal the rows they then show, chips, order, export file contents,
 * saved views across a reload, and the stale notice when Tanma is down.
 */

const today = chinaToday();
/** Three whole days a few days back: settled data no other spec changes. */
const range = { since: addDays(today, -6), before: addDays(today, -3) };

const MASKED_PHONE = /^\d{3}\*{4}\d{4}$/;
const FULL_MOBILE = /(?<!\d)1\d{10}(?!\d)/;

test("search by name finds the lead anywhere in the range and highlights the match", async ({ page, request }) => {
  const list = new ClueListPage(page);
  // A lead with a personal name of three characters, far down the day's list (not on the first screen).
  const { clue, range: day } = await findClue(request, "a lead named with 3 characters past row 40", (c, index) => {
    const name = c.fields.find((f) => f.key === "name")?.values[0] ?? "";
    return index >= 40 && /^[\u4e00-\u9fff]{3}$/.test(name);
  });
  const name = clue.fields.find((f) => f.key === "name")!.values[0]!;
  await list.goto(day);
  await list.waitForRows();
  await list.search(name);

  const expected = await apiIds(request, { ...day, q: name });
  expect(expected).toContain(clue.customerId);
  await list.expectTotal(expected.length);
  await expect(list.rows).toHaveCount(expected.length);
  expect(await list.renderedIds()).toEqual(expected);
  await expect(list.row(clue.customerId).getByTestId("search-match").first()).toHaveText(name);
  await expect(list.chips).toHaveText([`搜索：${name}×`]);
});

test("a whole mobile number finds its lead through the masked list", async ({ page, request }) => {
  const list = new ClueListPage(page);
  const day = { since: addDays(today, -2), before: addDays(today, -1) };
  const withMobile = (await simulatorClues(day)).find((c) => {
    const mobile = c.fields.find((f) => f.field === "mobile")?.valueAsText ?? "";
    return /^\["1\d{10}"\]$/.test(mobile);
  });
  if (withMobile === undefined) throw new Error(`no lead with one mobile number on ${day.since}`);
  const mobile = (JSON.parse(withMobile.fields.find((f) => f.field === "mobile")!.valueAsText!) as string[])[0]!;
  const masked = `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;

  await list.goto(day);
  await list.waitForRows();
  await list.search(mobile);
  const id = String(withMobile.customerId);
  await expect(list.row(id)).toBeVisible();
  await list.expectTotal(await apiTotal(request, { ...day, q: mobile }));
  // The number shows masked, and the whole masked number is what matched.
  await expect(list.row(id).getByTestId("search-match")).toHaveText(masked);
  await expect(list.table).not.toContainText(mobile);
});

test("a filter's count is the rows it then shows; chips take filters off; 清除筛选 clears them", async ({ page, request }) => {
  const list = new ClueListPage(page);
  await list.goto(range);
  await list.waitForRows();
  const all = await apiTotal(request, range);
  await list.expectTotal(all);

  const unassigned = await list.chooseFilter("filter-status-unassigned");
  expect(unassigned).toBeGreaterThan(0);
  await list.closePopover();
  expect(list.param("status")).toBe("unassigned");
  await list.expectTotal(unassigned);
  const shown = await list.scrollToEndCollecting();
  expect(shown.ids).toHaveLength(unassigned);
  expect(new Set(await list.rows.evaluateAll((els) => els.map((e) => e.querySelector('[data-testid="clue-type"]')?.getAttribute("data-is-clue"))))).toEqual(
    new Set(["false"]),
  );

  // A select field's busiest value, counted with the status filter on.
  const facets = (await (await request.get(`/api/clues/facets?${new URLSearchParams({ ...range, status: "unassigned" })}`)).json()) as ClueFacetsResponse;
  const [item] = Object.entries(facets.fields.customer_stage ?? {}).sort((a, b) => b[1] - a[1])[0] ?? [];
  if (item === undefined) throw new Error("no 客户阶段 value in the range");
  const both = await list.chooseFilter(`filter-field-customer_stage-${item}`);
  expect(both).toBe(facets.fields.customer_stage![item]);
  await list.closePopover();
  await list.expectTotal(both);
  expect((await list.scrollToEndCollecting()).ids).toEqual(await apiIds(request, { ...range, status: "unassigned", customer_stage: item }));
  await expect(list.chips).toHaveCount(2);
  await expect(page.getByTestId("filter-button-count")).toHaveText("2");

  await list.removeChip("status");
  expect(list.param("status")).toBeNull();
  await list.expectTotal(await apiTotal(request, { ...range, customer_stage: item }));
  await expect(list.chips).toHaveCount(1);

  await list.clearFilters();
  await expect(list.chips).toHaveCount(0);
  await list.expectTotal(all);
  expect(list.param("field")).toBeNull();

  // The type toggle counts the same way: each option says what choosing it shows.
  const companies = Number(await page.getByTestId("type-count-2").textContent());
  await list.chooseType("2");
  await list.expectTotal(companies);
});

test("newest first by default, oldest first on the switch", async ({ page, request }) => {
  const list = new ClueListPage(page);
  await list.goto(range);
  await list.waitForRows();
  const newest = await apiIds(request, range);
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", newest[0]!);
  await list.toggleOrder();
  expect(list.param("order")).toBe("asc");
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", newest.at(-1)!);
  await list.toggleOrder();
  expect(list.param("order")).toBeNull();
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", newest[0]!);
});

test("export downloads every matching lead, phones masked, as xlsx and csv", async ({ page, request }) => {
  const list = new ClueListPage(page);
  await page.goto(`/clues?since=${range.since}&before=${range.before}&status=unassigned&type=1`);
  await list.waitForRows();
  const expected = await apiIds(request, { ...range, status: "unassigned", type: "1" });
  await list.expectTotal(expected.length);

  const xlsx = await list.exportAs("xlsx");
  expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^线索_${range.since}_${addDays(range.before, -1)}_个人_待分配客户\\.xlsx$`));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await xlsx.path());
  const sheet = workbook.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const table: string[][] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) table.push(header.map((_, i) => String(row.getCell(i + 1).value ?? "")));
  });
  checkExport(header, table, expected);

  const csv = await list.exportAs("csv");
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const text = await readFile(await csv.path(), "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [csvHeader, ...csvRows] = parseCsv(text.slice(1), { relax_column_count: false }) as string[][];
  checkExport(csvHeader!, csvRows, expected);
});

function checkExport(header: string[], rows: string[][], expectedIds: string[]) {
  const idColumn = header.indexOf("客户 ID");
  const phoneColumn = header.indexOf("手机号");
  expect(idColumn).toBeGreaterThanOrEqual(0);
  expect(phoneColumn).toBeGreaterThanOrEqual(0);
  expect(rows.map((r) => r[idColumn])).toEqual(expectedIds);
  expect(rows.map((r) => r[header.indexOf("状态")])).toEqual(expectedIds.map(() => "待分配客户"));
  const phones = rows.flatMap((r) => (r[phoneColumn] === "" ? [] : r[phoneColumn]!.split("、")));
  expect(phones.length).toBeGreaterThan(0);
  for (const phone of phones) expect(phone).toMatch(MASKED_PHONE);
  for (const row of rows) for (const cell of row) expect(cell).not.toMatch(FULL_MOBILE);
}

test("a saved view survives a reload, applies its filters, and can be renamed and deleted", async ({ page }) => {
  const list = new ClueListPage(page);
  const name = `待分配最早 ${Date.now() % 100000}`;
  await page.goto(`/clues?since=${range.since}&before=${range.before}&status=unassigned&order=asc`);
  await list.waitForRows();
  await list.saveView(name);

  await page.goto(`/clues?since=${range.since}&before=${range.before}`);
  await list.waitForRows();
  await page.reload();
  await list.waitForRows();
  await list.applyView(name);
  await expect.poll(() => list.param("status")).toBe("unassigned");
  expect(list.param("order")).toBe("asc");
  expect(list.param("since")).toBe(range.since);
  await expect(list.chips).toHaveText(["状态：待分配×"]);

  const renamed = `${name} 改`;
  await list.renameView(name, renamed);
  await page.reload();
  await list.waitForRows();
  await list.openViews();
  await expect(list.savedView(renamed)).toBeVisible();
  await expect(list.savedView(name)).toHaveCount(0);
  await list.deleteView(renamed);
});

test.describe("a range read for the first time", () => {
  test.afterEach(async () => {
    await resetSimulatorKnobs();
  });

  test("counts what is stored so far as a lower bound, then the final total, without a reload", async ({ page, request }) => {
    // A slow Tanma keeps the week's walk going while the first rows show.
    await setSimulatorKnobs({ latencyMs: 300 });
    const list = new ClueListPage(page);
    const week = { since: addDays(today, -90), before: addDays(today, -83) };
    await list.goto(week);
    await list.waitForRows();
    await expect(list.totalCount).toHaveAttribute("data-final", "false");
    await expect(list.totalCount).toContainText(/已同步 \d\/7 天 · 至少 [\d,]+ 条/);
    await expect(page.getByTestId("sync-age")).not.toContainText("天前");

    await expect(list.totalCount).toHaveAttribute("data-final", "true", { timeout: 45_000 });
    const total = await apiTotal(request, week);
    await expect(list.totalCount).toHaveText(`共 ${total.toLocaleString("zh-CN")} 条`);
    await expect(page.getByTestId("sync-age")).toContainText("数据更新于");
    await expect(page.getByTestId("sync-age")).not.toContainText("天前");
  });
});

test.describe("Tanma down", () => {
  // The browser logs the failed 刷新 (502) as a console error; that is the point of this test.
  test.use({ allowedConsoleErrors: [/status of 502/] });
  test.afterEach(async () => {
    await resetSimulatorKnobs();
  });

  test("刷新 with Tanma unreachable keeps the rows and says they are from a while ago", async ({ page }) => {
    const list = new ClueListPage(page);
    const day = { since: addDays(today, -8), before: addDays(today, -7) };
    await list.goto(day);
    await list.waitForRows();
    // 刷新 while Tanma is healthy: the day's copy is current (also after an earlier run left it stale).
    await list.refresh();
    await expect(page.getByTestId("refresh-button")).toHaveText("刷新");
    await expect(list.staleNotice).toHaveCount(0);
    await expect(page.getByTestId("sync-age")).toContainText("数据更新于");
    const { ids } = await list.scrollToEndCollecting();
    expect(ids.length).toBeGreaterThan(0);

    // 刷新 walks a day at most once per 10 s (lib/clues/store/sync.ts): let that pass, then press it with Tanma down.
    await page.waitForTimeout(10_500);
    await setSimulatorKnobs({ errorRate: 1, errorMode: "http503" });
    await list.refresh();
    await expect(list.staleNotice).toBeVisible({ timeout: 30_000 });
    await expect(list.staleNotice).toContainText("暂时连不上探马");
    await expect(page.getByTestId("stale-code")).toHaveText("代码 HTTP 503");
    await expect(list.staleNotice).toContainText(/前同步的数据|刚刚同步的数据/);
    await list.scrollTo(0);
    expect((await list.scrollToEndCollecting()).ids).toEqual(ids);
    await expect(list.errorState).toHaveCount(0);
  });
});
