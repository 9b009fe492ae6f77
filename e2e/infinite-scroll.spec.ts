import { addDays, chinaToday, findClue, searchDays, walkClues } from "./pages/api";
import { ClueListPage } from "./pages/clue-list-page";
import { expect, test } from "./support/fixtures";

const today = chinaToday();

test("scrolling to the end loads every record of the range exactly once, with a bounded DOM", async ({
  page,
  request,
}) => {
  const since = addDays(today, -4);
  const before = addDays(today, -2); // two full days: a few hundred rows, several pages
  const pages = await walkClues(request, { since, before });
  const apiIds = pages.flat().map((c) => c.customerId);
  expect(pages.length).toBeGreaterThan(1);

  const list = new ClueListPage(page);
  await list.goto({ since, before });
  await list.waitForRows();
  const started = Date.now();
  const { ids, maxDomRows } = await list.scrollToEndCollecting();
  const measured = `${ids.length} rows over ${pages.length} pages scrolled in ${Date.now() - started} ms; max DOM rows ${maxDomRows}`;
  test.info().annotations.push({ type: "measured", description: measured });
  console.log(`measured: ${measured}`);

  expect(new Set(ids).size, "no row rendered twice under two ids").toBe(ids.length);
  expect(ids.length).toBe(apiIds.length);
  expect(new Set(ids)).toEqual(new Set(apiIds));
  expect(ids, "rows in API order").toEqual(apiIds);
  expect(maxDomRows, "virtualized: the DOM holds a bounded number of rows").toBeLessThanOrEqual(100);
  expect(await list.rows.count()).toBeLessThanOrEqual(100);
  await expect(list.footer).toHaveText(`已全部加载 (${apiIds.length.toLocaleString("zh-CN")} 条)`);
  await expect(list.rowCount).toContainText(apiIds.length.toLocaleString("zh-CN"));
  // Sticky header stays visible at the bottom of the range.
  await expect(page.getByTestId("column-header-createTime")).toBeInViewport();
});

test("a field that first appears on a later page gets its column when that page arrives", async ({
  page,
  request,
}) => {
  // A day where some field key is absent from page 1 but present on a later page.
  const { range, lateKey } = await searchDays("field first appearing after page 1", 20, async (range) => {
    const [first = [], ...later] = await walkClues(request, range);
    const firstKeys = new Set(first.flatMap((c) => c.fields.map((f) => f.key)));
    const lateKey = later.flatMap((p) => p.flatMap((c) => c.fields.map((f) => f.key))).find((k) => !firstKeys.has(k));
    return lateKey === undefined ? undefined : { range, lateKey };
  });
  const list = new ClueListPage(page);
  await list.goto(range);
  await list.waitForRows();
  await expect(page.getByTestId(`column-header-${lateKey}`)).toHaveCount(0);
  // Scrolled through, the column appears once the page holding the field has loaded.
  await list.scrollToEndCollecting();
  await expect(page.getByTestId(`column-header-${lateKey}`)).toHaveCount(1);
});

test("dynamic field columns are labelled from the dictionary; unknown keys show their key", async ({ page, request }) => {
  // A day whose first page carries the unknown key `wx_unionid` (on ~1–2% of records).
  const { range } = await findClue(request, "clue with the unknown field key wx_unionid", (c) =>
    c.fields.some((f) => f.key === "wx_unionid"),
  );
  const list = new ClueListPage(page);
  await list.goto(range);
  await list.waitForRows();
  await expect(page.getByTestId("column-header-mobile")).toHaveText("手机号");
  await expect(page.getByTestId("column-header-customer_source")).toHaveText("客户来源");
  await expect(page.getByTestId("column-header-wx_unionid")).toHaveText("wx_unionid");
});
