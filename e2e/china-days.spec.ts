import { addDays, chinaToday, parseChinaWallTime } from "../lib/china-time";
import { ArrivalsChartPanel } from "./pages/arrivals-chart";
import { ClueListPage, listUrl } from "./pages/clue-list-page";
import { type DatedDesk, startDatedDesk } from "./support/dated-desk";
import { expect, test } from "./support/fixtures";
import { E2E_APP_PORT } from "./support/ports";

/**
 * The desk's days are China days at any moment, in a browser 15–16 hours behind China. Each moment has its own
 * desk (servers and browser at that moment), so these checks do not depend on the day the suite runs:
 * - the end of a month;
 * - a day early in a month after a month whose grid has six rows, so that the picker shows today twice: in its
 *   own month and as a hidden outside day of the month before (2026-12-06, in November's last row);
 * - a morning that is still yesterday in UTC and the day before that in the browser, on a month's first day;
 * - New Year's Eve a minute and a half before midnight, across into the new year. The desk's clock starts at that
 *   moment as its servers start, so the margin covers their start and a first look at the desk on a busy machine
 *   (the full checks run at the other moments), and the test waits out the rest.
 */
const MOMENTS: { name: string; at: string; acrossMidnight?: boolean }[] = [
  { name: "a month's last day", at: "2026-04-30 15:00:00" },
  { name: "a month's 6th day, also in the six-row grid of the month before", at: "2026-12-06 10:00:00" },
  { name: "a month's first morning, still yesterday in UTC", at: "2027-03-01 06:30:00" },
  { name: "New Year's Eve before midnight", at: "2026-12-31 23:58:30", acrossMidnight: true },
];

test.use({ timezoneId: "America/Los_Angeles" });

MOMENTS.forEach((moment, i) => {
  test.describe(`at ${moment.at} China time (${moment.name})`, () => {
    let desk: DatedDesk;
    test.use({ baseURL: `http://127.0.0.1:${E2E_APP_PORT + 20 + i}`, clock: { offsetMs: () => desk.offsetMs } });
    test.beforeAll(async () => {
      desk = await startDatedDesk(parseChinaWallTime(moment.at), E2E_APP_PORT + 20 + i);
    });
    test.afterAll(async () => {
      await desk?.stop();
    });

    test("the default view, the presets, the calendar and the chart are anchored on China's today", async ({ page }) => {
      test.slow();
      const list = new ClueListPage(page);
      const today = chinaToday(desk.now());
      expect(today).toBe(moment.at.slice(0, 10));
      if (!moment.acrossMidnight) await checkDaysAt(list, today);
      else {
        await list.goto();
        await list.waitForRows();
        await expect(list.trigger).toContainText(`${addDays(today, -6)} ~ ${today}`);
        await list.openPicker();
        await expect(list.dayCell(today)).toHaveAttribute("data-today", "true");
        expect(chinaToday(desk.now()), "the first look must end before midnight").toBe(today);

        // Past midnight (both the servers and the browser): the same page now knows the new year's first day.
        const newYear = addDays(today, 1);
        await page.waitForTimeout(Math.max(0, parseChinaWallTime(`${newYear} 00:00:01`) - desk.now()));
        expect(chinaToday(desk.now())).toBe(newYear);
        await page.keyboard.press("Escape");
        await list.choosePreset("today");
        await expect(page).toHaveURL(listUrl({ since: newYear, before: addDays(newYear, 1) }));
        await list.openPicker();
        await expect(list.dayCell(newYear)).toHaveAttribute("data-today", "true");
        await expect(list.dayCell(today)).not.toHaveAttribute("data-today");
        await list.pickDays(addDays(newYear, -2), newYear);
        await page.getByTestId("range-apply").click();
        await expect(page).toHaveURL(listUrl({ since: addDays(newYear, -2), before: addDays(newYear, 1) }));
        await expect(list.trigger).toContainText(`${addDays(newYear, -2)} ~ ${newYear}`);
      }
    });
  });
});

async function checkDaysAt(list: ClueListPage, today: string) {
  const page = list.page;
  await list.goto();
  await list.waitForRows();
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe("America/Los_Angeles");

  // The default view is the last 7 China days, today's bar the chart's last.
  await expect(list.trigger).toContainText(`${addDays(today, -6)} ~ ${today}`);
  const chart = new ArrivalsChartPanel(page);
  await chart.waitForData();
  await expect(chart.bars).toHaveCount(7);
  await expect(chart.bars.last()).toHaveAttribute("data-start", today);

  await list.choosePreset("today");
  await expect(page).toHaveURL(listUrl({ since: today, before: addDays(today, 1) }));
  await expect(list.trigger).toContainText(today);
  await list.choosePreset("thisMonth");
  await expect(page).toHaveURL(listUrl({ since: `${today.slice(0, 8)}01`, before: addDays(today, 1) }));

  // The calendar: today's month on the right, marked once; nothing after today can be picked; a clicked cell
  // is the day it shows, across a month's or a year's end.
  await list.openPicker();
  await expect(list.dayCell(today)).toHaveAttribute("data-today", "true");
  await expect(page.locator("[data-today]:not([data-outside])")).toHaveCount(1);
  const tomorrow = addDays(today, 1);
  if (tomorrow.slice(0, 7) === today.slice(0, 7)) await expect(list.dayCell(tomorrow)).toHaveAttribute("data-disabled", "true");
  const first = addDays(today, -2);
  await list.pickDays(first, today);
  await page.getByTestId("range-apply").click();
  await expect(page).toHaveURL(listUrl({ since: first, before: tomorrow }));
  await expect(list.trigger).toContainText(`${first} ~ ${today}`);
}
