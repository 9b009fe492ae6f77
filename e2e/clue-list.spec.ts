import { addDays, chinaToday, findClue, firstPage } from "./pages/api";
import { ClueListPage, listUrl } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";

const today = chinaToday();

test("the list loads exactly the view in the URL", async ({ page, request }) => {
  const since = addDays(today, -3);
  const before = addDays(today, -1);
  const list = new ClueListPage(page);
  await list.goto({ since, before, type: 2 });
  await list.waitForRows();

  await expect(page).toHaveTitle(/Clue Desk 线索台/);
  await expect(list.trigger).toContainText(`${since} ~ ${addDays(before, -1)}`);
  await expect(page.getByTestId("type-option-2")).toHaveAttribute("aria-checked", "true");

  const api = await firstPage(request, { since, before, type: 2 });
  expect(api.items.length).toBeGreaterThan(0);
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", api.items[0]!.customerId);
  for (const t of await list.renderedTypes()) expect(t).toBe("2");
  // Fixed headers, sticky header present.
  for (const key of ["createTime", "displayName", "type", "company", "tags"]) {
    await expect(page.getByTestId(`column-header-${key}`)).toBeVisible();
  }
});

test("back and forward walk between list URLs", async ({ page }) => {
  const list = new ClueListPage(page);
  const a = { since: addDays(today, -10), before: addDays(today, -9) };
  const b = { since: addDays(today, -5), before: addDays(today, -3), type: 1 as const };
  await list.goto(a);
  await list.waitForRows();
  await list.goto(b);
  await expect(list.trigger).toContainText(`${b.since} ~ ${addDays(b.before, -1)}`);
  await page.goBack();
  await expect(list.trigger).toContainText(a.since);
  await expect(page.getByTestId("type-option-all")).toHaveAttribute("aria-checked", "true");
  await page.goForward();
  await expect(list.trigger).toContainText(`${b.since} ~ ${addDays(b.before, -1)}`);
  await expect(page.getByTestId("type-option-1")).toHaveAttribute("aria-checked", "true");
  await expect(list.rows.first()).toHaveAttribute("data-type", "1");
});

test("no params means the last 7 China days", async ({ page }) => {
  const list = new ClueListPage(page);
  await list.goto();
  await list.waitForRows();
  await expect(list.trigger).toContainText(`${addDays(today, -6)} ~ ${today}`);
  await expect(page.getByTestId("date-range-preset")).toHaveText("近7天");
});

test("presets and a custom range change the URL and the rows", async ({ page, request }) => {
  const list = new ClueListPage(page);
  await list.goto({ since: addDays(today, -6), before: addDays(today, 1) });
  await list.waitForRows();

  await list.choosePreset("yesterday");
  await expect(page).toHaveURL(listUrl({ since: addDays(today, -1), before: today }));
  const yesterday = await firstPage(request, { since: addDays(today, -1), before: today });
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", yesterday.items[0]!.customerId);
  await expect(list.trigger).toContainText(addDays(today, -1));

  await list.choosePreset("last30");
  await expect(page).toHaveURL(listUrl({ since: addDays(today, -29), before: addDays(today, 1) }));

  // Custom range on the calendar: two days of the visible months, inclusive.
  await list.choosePreset("today");
  await expect(page).toHaveURL(listUrl({ since: today, before: addDays(today, 1) }));
  const first = addDays(today, -5);
  const last = addDays(today, -4);
  await list.openPicker();
  await list.pickDays(first, last);
  await expect(page.getByTestId("range-summary")).toContainText("共 2 天");
  await page.getByTestId("range-apply").click();
  await expect(page).toHaveURL(listUrl({ since: first, before: addDays(last, 1) }));
  await expect(list.trigger).toContainText(`${first} ~ ${last}`);
  const custom = await firstPage(request, { since: first, before: addDays(last, 1) });
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", custom.items[0]!.customerId);

  // Replace, not push: one back leaves the list entirely (to about:blank).
  const historyLength = await page.evaluate(() => history.length);
  expect(historyLength).toBeLessThanOrEqual(2);
});

test("ranges over 366 days are refused with a clear message", async ({ page }) => {
  const list = new ClueListPage(page);
  await list.goto({ since: addDays(today, -400), before: addDays(today, 1) });
  await expect(page.getByTestId("invalid-params")).toContainText("最多 366 天");

  await list.goto({ since: "2025-02-30", before: today });
  await expect(page.getByTestId("invalid-params")).toContainText("YYYY-MM-DD");
  await page.getByRole("button", { name: "回到默认视图" }).click();
  await expect(page).toHaveURL(/\/clues$/);
  await list.waitForRows();

  // In the picker: a range of ~13 months cannot be applied.
  await list.goto({ since: today, before: addDays(today, 1) });
  await list.waitForRows();
  await list.openPicker();
  for (let i = 0; i < 13; i++) await page.getByRole("button", { name: "前往上个月" }).click();
  const monthStart = await page.locator("[data-day]:not([data-disabled]):not([data-hidden])").first().getAttribute("data-day");
  await list.dayCell(monthStart!).getByRole("button").click();
  for (let i = 0; i < 13; i++) await page.getByRole("button", { name: "前往下个月" }).click();
  await list.dayCell(today).getByRole("button").click();
  await expect(page.getByTestId("range-error")).toContainText("最多 366 天");
  await expect(page.getByTestId("range-apply")).toBeDisabled();
});

test("the type toggle filters every row and shows the loaded count", async ({ page }) => {
  const list = new ClueListPage(page);
  const since = addDays(today, -2);
  const before = today;
  await list.goto({ since, before });
  await list.waitForRows();

  await list.chooseType("1");
  await expect(page).toHaveURL(listUrl({ since, before, type: 1 }));
  await expect(list.rows.first()).toHaveAttribute("data-type", "1");
  for (const t of await list.renderedTypes()) expect(t).toBe("1");
  await expect(list.rowCount).toContainText(/已加载 \d+ 条/);
  expect(await list.loadedCount()).toBeGreaterThan(0);

  await list.chooseType("2");
  await expect(page).toHaveURL(listUrl({ since, before, type: 2 }));
  await expect(list.rows.first()).toHaveAttribute("data-type", "2");
  for (const t of await list.renderedTypes()) expect(t).toBe("2");

  await list.chooseType("all");
  await expect(page).toHaveURL(listUrl({ since, before }));
  await expect.poll(async () => new Set(await list.renderedTypes()).size).toBe(2);
});

test("tag chips and company links render", async ({ page, request }) => {
  // One row near the top (no scrolling) with a company and more tags than the three chips shown.
  const { clue, range } = await findClue(
    request,
    "company clue with more than 3 tags, the first one known, among the first 15 rows",
    (c, index) => index < 15 && c.company !== null && c.tags.length > 3 && c.tags[0]!.name !== null,
  );
  const list = new ClueListPage(page);
  await list.goto(range);
  await list.waitForRows();
  const row = list.row(clue.customerId);

  const chip = row.getByTestId("tag-chip").first();
  await expect(chip).toHaveText(clue.tags[0]!.name!);
  await expect(chip).toHaveAttribute("data-known", "true");
  await expect(row.getByTestId("tag-chip")).toHaveCount(3);
  await expect(row.getByTestId("tag-more")).toHaveText(`+${clue.tags.length - 3}`);

  const link = row.getByTestId("company-link");
  await expect(link).toHaveText(clue.company!.name);
  await expect(link).toHaveAttribute("href", new RegExp(`^/companies/${clue.company!.id}\\b`));
});

test("an unknown tag id shows as a muted chip with the raw id", async ({ page, request }) => {
  // About 1% of the simulator's clues carry a deleted tag: one among the shown chips (the first three).
  const { clue, index, range } = await findClue(request, "clue with an unknown tag among its first three", (c) =>
    c.tags.slice(0, 3).some((t) => t.name === null),
  );
  const unknown = clue.tags.slice(0, 3).find((t) => t.name === null)!;
  const list = new ClueListPage(page);
  await list.goto(range);
  await list.waitForRows();
  const rowHeight = (await list.rows.first().boundingBox())!.height;
  await list.scrollTo(Math.max(0, index - 3) * rowHeight);
  const chip = list.row(clue.customerId).locator(`[data-testid="tag-chip"][data-tag-id="${unknown.id}"]`);
  await expect(chip).toHaveText(unknown.id);
  await expect(chip).toHaveAttribute("data-known", "false");
});

test("a list scrolled before the page has hydrated keeps its place when it does", async ({ page }) => {
  // Hold the scripts back so the server-rendered rows can be scrolled before React takes over.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_next\/static\/chunks\/.+\.js$/, async (route) => {
    await released;
    await route.continue();
  });
  const list = new ClueListPage(page);
  await page.goto(listUrl({ since: addDays(today, -3), before: addDays(today, -1) }), { waitUntil: "commit" });
  await list.waitForRows();
  await list.scrollTo(2400);
  expect(await list.scrollTop()).toBeGreaterThan(2000);
  release();
  // Once hydrated, the virtualizer renders the rows around the offset it found, not from the top.
  await expect.poll(async () => Number(await list.rows.first().getAttribute("data-index")), { timeout: 20_000 }).toBeGreaterThan(0);
  expect(await list.scrollTop()).toBeGreaterThan(2000);
});
