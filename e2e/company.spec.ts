import { addDays, chinaToday, firstPage, walkClues } from "./pages/api";
import { ClueListPage } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";

const today = chinaToday();

test("a company link opens the company's leads in the same date range", async ({ page, request }) => {
  const since = addDays(today, -30);
  const before = addDays(today, 1);
  const recent = await firstPage(request, { since: addDays(today, -2), before: addDays(today, -1), type: 2 });
  const clue = recent.items.find((c) => c.company !== null)!;
  const company = clue.company!;

  const list = new ClueListPage(page);
  await list.goto({ since: addDays(today, -2), before: addDays(today, -1), type: 2 });
  await list.waitForRows();
  await list.row(clue.customerId).getByTestId("company-link").click();
  await expect(page).toHaveURL(new RegExp(`/companies/${company.id}\\?`));
  await expect(page.getByTestId("company-name")).toHaveText(company.name);

  // A wider range via the URL: the rows are exactly the API's for this company.
  await page.goto(`/companies/${company.id}?since=${since}&before=${before}`);
  const expected = (await walkClues(request, { since, before, type: 2, companyId: company.id })).flat();
  await expect(page.getByTestId("company-name")).toHaveText(company.name);
  await list.waitForRows();
  // A company with many leads in the range loads more as the list is scrolled, like any list.
  const { ids } = await list.scrollToEndCollecting();
  await expect(page.getByTestId("table-footer")).toContainText("已全部加载");
  expect(expected.length).toBeGreaterThan(0);
  expect(ids).toEqual(expected.map((c) => c.customerId));
  expect(await list.loadedCount()).toBe(expected.length);
  await list.scrollTo(0);
  await expect(list.rows.first()).toHaveAttribute("data-customer-id", expected[0]!.customerId);
  await expect(page.getByTestId("company-external-link")).toHaveAttribute(
    "href",
    `https://crm.example.invalid/company/${company.id}`,
  );

  // Rows link to the clue (full page: the sheet belongs to the list).
  await list.rows.first().click();
  await expect(page).toHaveURL(new RegExp(`/clues/${expected[0]!.customerId}$`));
  await expect(page.getByTestId("clue-detail")).toBeVisible();
});
