import { addDays, chinaToday } from "./pages/api";
import { ClueListPage } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";
import { resetSimulatorKnobs, setSimulatorKnobs } from "./support/simulator";

const today = chinaToday();

test.describe("upstream errors", () => {
  // The browser logs each failed request (502) as a console error; those are the point of these tests.
  test.use({ allowedConsoleErrors: [/status of 50[24]/] });
  test.afterEach(async () => {
    await resetSimulatorKnobs();
  });

  test("a failing next page shows the upstream message; retry recovers and keeps the loaded rows", async ({ page }) => {
    const list = new ClueListPage(page);
    await list.goto({ since: addDays(today, -6), before: addDays(today, -3) });
    await list.waitForRows();
    const loaded = await list.loadedCount();
    expect(loaded).toBeGreaterThan(0);
    const firstId = await list.rows.first().getAttribute("data-customer-id");

    await setSimulatorKnobs({ errorRate: 1, errorMode: "business" });
    await list.scrollTo(1e7); // to the bottom: the next page is requested and fails
    await expect(list.errorState).toBeVisible();
    await expect(list.errorState).toContainText("探马返回错误");
    expect(await list.loadedCount()).toBe(loaded);

    await resetSimulatorKnobs();
    await list.retry();
    await expect(list.errorState).toHaveCount(0);
    await expect.poll(() => list.loadedCount()).toBeGreaterThan(loaded);
    await list.scrollTo(0);
    await expect(list.rows.first()).toHaveAttribute("data-customer-id", firstId!);
  });

  test("a failing first page shows the error state, and retry loads the list", async ({ page }) => {
    const list = new ClueListPage(page);
    await setSimulatorKnobs({ errorRate: 1, errorMode: "business" });
    await list.goto({ since: addDays(today, -9), before: addDays(today, -8) });
    await expect(list.errorState).toBeVisible();
    await expect(page.getByTestId("error-message")).toContainText("探马返回错误");
    await resetSimulatorKnobs();
    await list.retry();
    await list.waitForRows();
    await expect(list.errorState).toHaveCount(0);
  });
});

test("an empty range shows the empty state", async ({ page }) => {
  const list = new ClueListPage(page);
  await list.goto({ since: "2020-01-01", before: "2020-01-03" });
  await expect(list.emptyState).toBeVisible();
  await expect(list.emptyState).toContainText("没有线索");
  await expect(list.rows).toHaveCount(0);
});
