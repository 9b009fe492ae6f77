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

  test("with Tanma failing, a range already stored is still served whole, from the store", async ({ page }) => {
    const list = new ClueListPage(page);
    const range = { since: addDays(today, -6), before: addDays(today, -3) };
    await list.goto(range);
    await list.waitForRows();
    const stored = await list.scrollToEndCollecting();
    expect(stored.ids.length).toBeGreaterThan(100);

    await setSimulatorKnobs({ errorRate: 1, errorMode: "business" });
    await list.goto(range);
    await list.waitForRows();
    expect((await list.scrollToEndCollecting()).ids).toEqual(stored.ids);
    await expect(list.errorState).toHaveCount(0);
  });

  test("a failing first page shows the error state, and retry loads the list", async ({ page }) => {
    const list = new ClueListPage(page);
    await setSimulatorKnobs({ errorRate: 1, errorMode: "business" });
    // A day no spec reads otherwise: never stored, so its first page needs Tanma.
    await list.goto({ since: addDays(today, -170), before: addDays(today, -169) });
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
