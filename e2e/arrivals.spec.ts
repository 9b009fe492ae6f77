import type { ClueFacetsResponse } from "../lib/clues/schema";
import { addDays, chinaToday } from "./pages/api";
import { ArrivalsChartPanel } from "./pages/arrivals-chart";
import { ClueListPage } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";
import { addClue } from "./support/simulator";

const today = chinaToday();

test("the arrivals chart shows each day's leads; a click narrows the range to a day, a drag to the days dragged over", async ({ page, request }) => {
  const since = addDays(today, -6);
  const before = addDays(today, 1);
  const facets = (await (await request.get(`/api/clues/facets?since=${since}&before=${before}`)).json()) as ClueFacetsResponse;
  const list = new ClueListPage(page);
  const chart = new ArrivalsChartPanel(page);
  await list.goto({ since, before });
  await list.waitForRows();
  await chart.waitForData();

  // One bar per day of the range, with the facets' counts.
  await expect(chart.bars).toHaveCount(7);
  for (const bucket of facets.histogram) await expect(chart.bar(bucket.start)).toHaveAttribute("data-count", String(bucket.count));

  // Hovering a bar shows its counts, by type and then by status.
  const yesterday = addDays(today, -1);
  const counts = facets.histogram.find((b) => b.start === yesterday)!;
  await chart.bar(yesterday).hover();
  await expect(chart.tooltip).toContainText(`${counts.count.toLocaleString("zh-CN")} 条`);
  await expect(chart.tooltip).toContainText(`个人${counts.byType["1"].toLocaleString("zh-CN")}`);
  await expect(chart.tooltip).toContainText(`企业${counts.byType["2"].toLocaleString("zh-CN")}`);
  await chart.split("status");
  await chart.bar(yesterday).hover();
  await expect(chart.tooltip).toContainText(`待分配${counts.byStatus.unassigned.toLocaleString("zh-CN")}`);
  await page.screenshot({ path: "test-results/screens/chart-tooltip.png" });

  // Dragging from the 2nd to the 4th bar narrows the range to those three days.
  await chart.drag(addDays(since, 1), addDays(since, 3));
  await expect(page).toHaveURL(new RegExp(`since=${addDays(since, 1)}&before=${addDays(since, 4)}`));
  await chart.waitForData();
  await expect(chart.bars).toHaveCount(3);
  await list.waitForRows();
  await expect.poll(async () => (await list.renderedIds()).length).toBeGreaterThan(0);

  // A click on a bar narrows to its day; two days or less are drawn per hour.
  await chart.bar(addDays(since, 2)).click();
  await expect(page).toHaveURL(new RegExp(`since=${addDays(since, 2)}&before=${addDays(since, 3)}`));
  await chart.waitForData();
  await expect(chart.bars).toHaveCount(24);
  await expect(chart.root).toContainText("每小时新增");
  await page.screenshot({ path: "test-results/screens/chart-hourly.png" });
});

test("the chart's bars are reachable by keyboard: focus shows the counts, Enter narrows to the day", async ({ page }) => {
  const since = addDays(today, -6);
  const before = addDays(today, 1);
  const list = new ClueListPage(page);
  const chart = new ArrivalsChartPanel(page);
  await list.goto({ since, before });
  await chart.waitForData();
  // The one tab stop is today's bar (the newest); arrows move along the bars.
  await chart.bar(today).focus();
  await expect(chart.tooltip).toBeVisible();
  await page.keyboard.press("ArrowLeft");
  const yesterday = addDays(today, -1);
  await expect(chart.bar(yesterday)).toBeFocused();
  await expect(chart.tooltip).toContainText(`${Number(yesterday.slice(5, 7))}月${Number(yesterday.slice(8, 10))}日`);
  await expect(chart.bar(yesterday)).toHaveAttribute("aria-label", /共 [\d,]+ 条（个人 [\d,]+，企业 [\d,]+），按回车只看这一天/);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`since=${yesterday}&before=${today}`));
});

test("a lead arriving while the view includes today announces itself; one click shows it on top, keeping the reading position", async ({ page }) => {
  test.slow(); // the store follows today every 15 s, the page polls every 5 s
  const list = new ClueListPage(page);
  await list.goto({ since: addDays(today, -6), before: addDays(today, 1) });
  await list.waitForRows();
  // The page's layout settles before the row is read: the chart drawn, every day of the range stored.
  await new ArrivalsChartPanel(page).waitForData();
  await expect(page.getByTestId("sync-progress")).toHaveCount(0, { timeout: 30_000 });
  const pill = page.getByTestId("new-arrivals-pill");
  await expect(pill).toHaveCount(0);

  // Scrolled into the list, reading a row.
  await list.scrollTo(36 * 15);
  await expect.poll(() => list.scrollTop()).toBe(36 * 15);
  const reading = page.locator('[data-testid="clue-row"][data-index="20"]');
  const readingId = (await reading.getAttribute("data-customer-id"))!;
  const readingY = (await reading.boundingBox())!.y;

  const added = await addClue({ name: "实时到达测试" });
  // Within the live interval (15 s) plus a poll (5 s) and some slack for a busy machine.
  await expect(pill).toHaveText("有 1 条新线索", { timeout: 30_000 });
  await expect(page).toHaveTitle(/^\(1\) 新线索/);
  await page.screenshot({ path: "test-results/screens/live-pill.png" });

  await pill.click();
  await expect(pill).toHaveCount(0);
  await expect(page).toHaveTitle(/^新线索/);
  // The row being read has not moved on screen; the new lead is the list's first row.
  const stillReading = list.row(readingId);
  await expect.poll(async () => (await stillReading.boundingBox())?.y).toBe(readingY);
  await list.scrollTo(0);
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", String(added.customerId));
  await expect(list.rows.first()).toContainText("实时到达测试");
  await page.screenshot({ path: "test-results/screens/live-shown.png" });
});

test("a view that ends before today is not followed", async ({ page }) => {
  const list = new ClueListPage(page);
  const polls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/clues?") && r.url().includes("order=asc")) polls.push(r.url());
  });
  await list.goto({ since: addDays(today, -3), before: today });
  await list.waitForRows();
  await page.waitForTimeout(6_000);
  expect(polls).toEqual([]);
});

test("the chart's placeholder and its loading state hold the chart's place: the table never moves", async ({ page }) => {
  const list = new ClueListPage(page);
  const chart = new ArrivalsChartPanel(page);
  // The chart's code and its counts arrive late, one after the other, so each stage stays on screen a while.
  let releaseChart = () => {};
  const chartCodeHeld = new Promise<void>((resolve) => (releaseChart = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes("arrivals-bars")) await chartCodeHeld;
    await route.fulfill({ response, body });
  });
  let releaseFacets = () => {};
  const facetsHeld = new Promise<void>((resolve) => (releaseFacets = resolve));
  await page.route("**/api/clues/facets?*", async (route) => {
    await facetsHeld;
    await route.continue();
  });
  await list.goto({ since: addDays(today, -6), before: addDays(today, 1) });
  await list.waitForRows();
  const tableTop = async () => (await list.scroller.boundingBox())!.y;

  await expect(page.getByTestId("arrivals-chart-placeholder")).toBeVisible();
  const withPlaceholder = await tableTop();
  releaseChart();
  await expect(chart.root).toHaveAttribute("data-state", "pending");
  expect(await tableTop()).toBe(withPlaceholder);
  releaseFacets();
  await chart.waitForData();
  expect(await tableTop()).toBe(withPlaceholder);
});
