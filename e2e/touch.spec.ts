import type { ClueListResponse } from "../lib/clues/schema";
import { addDays, chinaToday } from "./pages/api";
import { ClueListPage } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";
import { addClue, addFollowUp } from "./support/simulator";

const today = chinaToday();

test("a follow-up written on today's lead moves it from 未跟进 to 已跟进 on an open desk, without a reload", async ({ page, request }) => {
  test.slow(); // the store takes the lead in within its live interval (15 s), the reader checks it within seconds
  const range = { since: today, before: addDays(today, 1) };
  const lead = await addClue({ name: "跟进测试" });
  const id = String(lead.customerId);
  // Stored and not yet touched: the untouched filter lists it.
  await expect
    .poll(
      async () => {
        const found = (await (await request.get(`/api/clues?${new URLSearchParams({ ...range, touch: "untouched", size: "100" })}`)).json()) as ClueListResponse;
        return found.items.some((item) => item.customerId === id);
      },
      { timeout: 45_000 },
    )
    .toBe(true);

  const list = new ClueListPage(page);
  await list.goto(range);
  await list.waitForRows();
  const cell = list.touchCell(id);
  await expect(cell).toHaveAttribute("data-touched", "false");
  await expect(cell).toContainText(/未跟进 \d+ 分钟/);
  const untouchedBefore = await list.filterCount("filter-touch-untouched");
  const touchedBefore = await list.filterCount("filter-touch-touched");
  await list.closePopover();
  await page.screenshot({ path: "test-results/screens/touch-untouched.png" });

  const reloads: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) reloads.push(frame.url());
  });
  await addFollowUp(lead.customerId, { operator: { qwUserId: "LiSi", name: "李四" }, content: "电话已联系" });
  await expect(cell).toHaveAttribute("data-touched", "true", { timeout: 45_000 });
  await expect(cell).toContainText(/\d+ 分钟后 · 李四/);
  expect(reloads).toEqual([]);
  // The counts follow (other leads of today may be touched meanwhile by the simulated salespeople too).
  await expect.poll(() => list.filterCount("filter-touch-touched")).toBeGreaterThan(touchedBefore);
  expect(await list.filterCount("filter-touch-untouched")).toBeLessThan(untouchedBefore);
  await page.screenshot({ path: "test-results/screens/touch-touched.png" });

  // 已跟进 as a filter: a chip, and the lead with it.
  await list.chooseFilter("filter-touch-touched");
  await list.closePopover();
  await expect(page).toHaveURL(/touch=touched/);
  await expect(page.locator('[data-testid="filter-chip"][data-chip="touch"]')).toContainText("跟进：已跟进");
  await expect(list.row(id)).toBeVisible();
  await expect(list.rows.first()).toBeVisible();
  const states = await list.rows.evaluateAll((rows) => rows.map((row) => row.querySelector('[data-testid="touch-cell"]')?.getAttribute("data-touched")));
  expect(new Set(states)).toEqual(new Set(["true"]));

  // The detail sheet says who touched it first, and how soon.
  await list.row(id).click();
  await expect(page.getByTestId("detail-first-touch")).toContainText(/李四 · 创建后 \d+ 分钟/);
  await page.screenshot({ path: "test-results/screens/touch-detail.png" });
});
