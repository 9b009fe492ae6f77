import { addDays, chinaToday } from "./pages/api";
import { ClueListPage, listUrl } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";

// A browser 15–16 hours behind China: for most of the day its local date differs from China's.
test.use({ timezoneId: "America/Los_Angeles" });

test("picker days are China days whatever the browser's time zone", async ({ page }) => {
  const today = chinaToday();
  const list = new ClueListPage(page);
  await list.goto();
  await list.waitForRows();
  const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  expect(browserZone).toBe("America/Los_Angeles");

  // Default view and presets are anchored on China's today.
  await expect(list.trigger).toContainText(`${addDays(today, -6)} ~ ${today}`);
  await list.choosePreset("today");
  await expect(page).toHaveURL(listUrl({ since: today, before: addDays(today, 1) }));
  await expect(list.trigger).toContainText(today);

  // The calendar marks China's today, allows picking it, and a clicked cell is the day it shows.
  await list.openPicker();
  await expect(page.locator(`[data-day="${today}"]`)).toHaveAttribute("data-today", "true");
  await list.pickDays(addDays(today, -2), today);
  await page.getByTestId("range-apply").click();
  await expect(page).toHaveURL(listUrl({ since: addDays(today, -2), before: addDays(today, 1) }));
  await expect(list.trigger).toContainText(`${addDays(today, -2)} ~ ${today}`);
});
