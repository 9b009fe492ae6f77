import { DEFAULT_PAGE_SIZE } from "../lib/clues/limits";
import { FIELD_TYPE } from "../lib/tanma/field-types";
import { addDays, chinaToday, findClue, walkClues } from "./pages/api";
import { ClueDetailPage } from "./pages/clue-detail-page";
import { ClueListPage } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";
import { hasMoreFollowUps, upstreamCalls } from "./support/simulator";

const today = chinaToday();
const since = addDays(today, -3);
const before = addDays(today, -1);

test("clicking a row opens the sheet; closing restores scroll position and rows", async ({ page }) => {
  test.slow(); // four open/close round trips
  const list = new ClueListPage(page);
  const detail = new ClueDetailPage(page);
  await list.goto({ since, before });
  await list.waitForRows();

  await list.scrollTo(2400);
  await expect.poll(() => list.scrollTop()).toBeGreaterThan(2000);
  const loaded = await list.settledLoadedCount();
  const row = list.rows.nth(20); // past the overscan rows above the viewport: no scroll needed to click it
  const id = (await row.getAttribute("data-customer-id"))!;
  await row.click();
  const top = await list.scrollTop();
  expect(top).toBeGreaterThan(2000);

  await expect(page).toHaveURL(`/clues/${id}`);
  await expect(detail.sheet).toBeVisible();
  await detail.waitForClue(id);
  await expect(detail.fields.first()).toBeVisible();

  await detail.close();
  await expect(page).toHaveURL(new RegExp(`/clues\\?since=${since}&before=${before}$`));
  expect(await list.scrollTop()).toBe(top);
  expect(await list.loadedCount()).toBe(loaded);
  await expect(list.row(id)).toBeVisible();

  // Escape and the overlay close it too.
  await list.row(id).click();
  await expect(detail.root).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(detail.sheet).toHaveCount(0);
  expect(await list.scrollTop()).toBe(top);

  await list.row(id).click();
  await expect(detail.root).toBeVisible();
  await page.getByTestId("sheet-overlay").click({ position: { x: 40, y: 400 } });
  await expect(detail.sheet).toHaveCount(0);
  expect(await list.scrollTop()).toBe(top);

  // The browser's back button from the sheet also returns to the same list.
  await list.row(id).click();
  await expect(detail.root).toBeVisible();
  await page.goBack();
  await expect(detail.sheet).toHaveCount(0);
  expect(await list.scrollTop()).toBe(top);
});

test("arrow keys move the row focus and Enter opens the clue", async ({ page }) => {
  const list = new ClueListPage(page);
  const detail = new ClueDetailPage(page);
  await list.goto({ since, before });
  await list.waitForRows();

  await list.rows.first().focus();
  for (let i = 0; i < 22; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  const focused = page.locator('[data-testid="clue-row"]:focus');
  await expect(focused).toHaveAttribute("data-index", "21");
  await expect(focused).toBeInViewport();
  const id = (await focused.getAttribute("data-customer-id"))!;

  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/clues/${id}`);
  await expect(detail.root).toHaveAttribute("data-customer-id", id);
  await page.keyboard.press("Escape");
  await expect(detail.sheet).toHaveCount(0);
  // Focus returns to the row it came from.
  await expect(page.locator('[data-testid="clue-row"]:focus')).toHaveAttribute("data-customer-id", id);
});

test("a direct detail URL renders the full page with fields, tags and follow-ups", async ({ page, request }) => {
  const { clue } = await findClue(
    request,
    "clue with tags, a phone number, an empty field and more than one page of follow-ups",
    async (c) =>
      c.tags.length > 0 &&
      c.fields.some((f) => f.type === FIELD_TYPE.phone && f.values.length > 0) &&
      c.fields.some((f) => f.values.length === 0) &&
      (await hasMoreFollowUps(c.customerId)),
  );
  const detail = new ClueDetailPage(page);
  const res = await page.goto(`/clues/${clue.customerId}`);
  expect(res?.status()).toBe(200);
  await detail.waitForClue(clue.customerId);
  await expect(detail.sheet).toHaveCount(0);
  await expect(detail.backToList).toBeVisible();
  await expect(detail.name).not.toBeEmpty();
  await expect(detail.root.getByText("创建时间")).toBeVisible();
  await expect(detail.root.getByText(clue.createTime).first()).toBeVisible();
  await expect(detail.fields).toHaveCount(clue.fields.filter((f) => f.values.length > 0).length);
  await expect(detail.emptyFields).toContainText("未填写");
  await expect(detail.tagChips).toHaveCount(clue.tags.length);

  // Phones arrive masked; the audited reveal shows the full numbers.
  await expect(detail.phoneValues.first()).toContainText("*");
  await detail.revealPhones();
  await expect(detail.phoneValues.first()).not.toContainText("*");

  // Follow-up timeline, paged by cursor: one page of 20, then the next on 加载更多.
  await expect(detail.followUps).toHaveCount(20);
  await detail.moreFollowUps();
});

test("a direct detail URL asks Tanma for the clue once", async ({ page, request }) => {
  const { clue } = await findClue(request, "clue", () => true);
  const detail = new ClueDetailPage(page);
  const before = await upstreamCalls("clueGet");
  await page.goto(`/clues/${clue.customerId}`);
  await detail.waitForClue(clue.customerId);
  // The page's title (metadata) and its body both show the clue, from one clue/get.
  await expect(page).toHaveTitle(`${await detail.name.textContent()} · Clue Desk 线索台`);
  expect(await upstreamCalls("clueGet")).toBe(before + 1);
});

test.describe("not found", () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("an unknown clue id shows a clear not-found", async ({ page }) => {
  const detail = new ClueDetailPage(page);
  const res = await page.goto("/clues/999999999999999");
  expect(res?.status()).toBe(404);
  await expect(detail.notFound).toContainText("找不到这条线索");
  const bad = await page.goto("/clues/not-a-number");
  expect(bad?.status()).toBe(404);
  await expect(detail.notFound).toBeVisible();
});
});

test("↑/↓ and J/K in the sheet move through the list's leads, loading the next page; the list follows and closing focuses that row", async ({ page, request }) => {
  const list = new ClueListPage(page);
  const detail = new ClueDetailPage(page);
  const [first, second] = await walkClues(request, { since, before });
  if (first === undefined || second === undefined || first.length < DEFAULT_PAGE_SIZE) throw new Error("the range needs two pages of leads");
  const ids = [...first, ...second].map((c) => c.customerId);
  await list.goto({ since, before });
  await list.waitForRows();

  await list.row(ids[0]!).click();
  await detail.waitForClue(ids[0]!);
  await page.keyboard.press("ArrowDown");
  await expect(page).toHaveURL(`/clues/${ids[1]}`);
  await detail.waitForClue(ids[1]!);
  await expect(list.row(ids[1]!)).toHaveAttribute("aria-selected", "true");
  await page.screenshot({ path: "test-results/screens/sheet-next.png" });
  await page.keyboard.press("j");
  await expect(page).toHaveURL(`/clues/${ids[2]}`);
  await page.keyboard.press("k");
  await page.keyboard.press("ArrowUp");
  await expect(page).toHaveURL(`/clues/${ids[0]}`);
  await detail.waitForClue(ids[0]!);
  await page.keyboard.press("ArrowUp"); // the first lead has none before it
  await expect(page).toHaveURL(`/clues/${ids[0]}`);

  // From the last lead of the first page, ↓ loads the next page and opens its first lead; the list scrolls along.
  await page.keyboard.press("Escape");
  await expect(detail.sheet).toHaveCount(0);
  const last = DEFAULT_PAGE_SIZE - 1;
  await list.scrollTo(last * 36);
  await list.row(ids[last]!).click();
  await detail.waitForClue(ids[last]!);
  await page.keyboard.press("ArrowDown");
  await expect(page).toHaveURL(`/clues/${ids[last + 1]}`);
  await detail.waitForClue(ids[last + 1]!);
  for (let i = 2; i <= 12; i++) await page.keyboard.press("ArrowDown");
  await expect(page).toHaveURL(`/clues/${ids[last + 12]}`);
  await expect(list.row(ids[last + 12]!)).toBeInViewport();

  // Closing returns to the list (one history entry, whatever the steps) with focus on the row last shown.
  await page.keyboard.press("Escape");
  await expect(detail.sheet).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/clues\\?since=${since}&before=${before}$`));
  await expect(page.locator('[data-testid="clue-row"]:focus')).toHaveAttribute("data-customer-id", ids[last + 12]!);
});
