import type { Locator, Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { copy } from "../../lib/copy";

export type RangeParams = { since: string; before: string; type?: 1 | 2 };

export function listUrl(p: Partial<RangeParams> = {}): string {
  const q = new URLSearchParams();
  if (p.since) q.set("since", p.since);
  if (p.before) q.set("before", p.before);
  if (p.type) q.set("type", String(p.type));
  const s = q.toString();
  return s ? `/clues?${s}` : "/clues";
}

/** The `/clues` list (also the table on a company page). */
export class ClueListPage {
  readonly table: Locator;
  readonly scroller: Locator;
  readonly rows: Locator;
  readonly footer: Locator;
  readonly rowCount: Locator;
  readonly trigger: Locator;
  readonly typeToggle: Locator;
  readonly errorState: Locator;
  readonly retryButton: Locator;
  readonly emptyState: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("clue-table");
    this.scroller = page.getByTestId("clue-table-scroll");
    this.rows = page.getByTestId("clue-row");
    this.footer = page.getByTestId("table-footer");
    this.rowCount = page.getByTestId("row-count");
    this.trigger = page.getByTestId("date-range-trigger");
    this.typeToggle = page.getByTestId("type-toggle");
    this.errorState = page.getByTestId("error-state");
    this.retryButton = page.getByTestId("retry-button");
    this.emptyState = page.getByTestId("empty-state");
  }

  async goto(params: Partial<RangeParams> = {}) {
    await this.page.goto(listUrl(params));
  }

  /** Waits until the first page of rows (or the empty state) is on screen. */
  async waitForRows() {
    await expect(this.rows.first().or(this.emptyState).or(this.errorState)).toBeVisible({ timeout: 30_000 });
  }

  row(customerId: string): Locator {
    return this.page.locator(`[data-testid="clue-row"][data-customer-id="${customerId}"]`);
  }

  /** A row's 跟进 cell. */
  touchCell(customerId: string): Locator {
    return this.row(customerId).getByTestId("touch-cell");
  }

  async renderedIds(): Promise<string[]> {
    return this.rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-customer-id") ?? ""));
  }

  async renderedTypes(): Promise<string[]> {
    return this.rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-type") ?? ""));
  }

  async loadedCount(): Promise<number> {
    const text = (await this.rowCount.textContent()) ?? "";
    return Number(text.replace(/[^\d]/g, ""));
  }

  /**
   * The loaded count once it has held still for a moment with no page in flight: a scroll may have asked for the
   * next page, which lands a little later when the upstream limiter spaces calls out.
   */
  async settledLoadedCount(): Promise<number> {
    let previous = -1;
    await expect
      .poll(
        async () => {
          const count = await this.loadedCount();
          const settled = count === previous && !((await this.footer.textContent()) ?? "").includes(copy.list.loading);
          previous = count;
          return settled;
        },
        { intervals: [400] },
      )
      .toBe(true);
    return previous;
  }

  async scrollTop(): Promise<number> {
    return this.scroller.evaluate((el) => el.scrollTop);
  }

  async scrollTo(y: number) {
    await this.scroller.evaluate((el, top) => el.scrollTo({ top }), y);
  }

  /**
   * Scrolls to the very end, step by step like a person would, collecting every row id that was ever rendered
   * and the largest number of rows the DOM held at once.
   */
  async scrollToEndCollecting(stepPx = 700): Promise<{ ids: string[]; maxDomRows: number }> {
    const seen = new Set<string>();
    const order: string[] = [];
    let maxDomRows = 0;
    for (let i = 0; i < 2000; i++) {
      const snapshot = await this.page.evaluate(() => {
        const scroller = document.querySelector<HTMLElement>('[data-testid="clue-table-scroll"]')!;
        const rows = [...document.querySelectorAll('[data-testid="clue-row"]')].map(
          (e) => e.getAttribute("data-customer-id") ?? "",
        );
        const footer = document.querySelector('[data-testid="table-footer"]')?.textContent ?? "";
        const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
        return { rows, footer, atBottom };
      });
      maxDomRows = Math.max(maxDomRows, snapshot.rows.length);
      for (const id of snapshot.rows) {
        if (!seen.has(id)) {
          seen.add(id);
          order.push(id);
        }
      }
      if (snapshot.atBottom && snapshot.footer.includes("已全部加载")) break;
      if (snapshot.footer.includes("失败")) throw new Error(`table error while scrolling: ${snapshot.footer}`);
      await this.scroller.evaluate((el, step) => el.scrollBy({ top: step }), stepPx);
      // Give the virtualizer a frame, and a fetch time to land when we are at the bottom.
      await this.page.waitForTimeout(snapshot.atBottom ? 120 : 30);
    }
    return { ids: order, maxDomRows };
  }

  async openPicker() {
    await this.trigger.click();
    await expect(this.page.getByTestId("date-range-popover")).toBeVisible();
  }

  async choosePreset(id: "today" | "yesterday" | "last7" | "last30" | "thisMonth" | "lastMonth") {
    await this.openPicker();
    await this.page.getByTestId(`preset-${id}`).click();
  }

  /**
   * A day's cell in the open calendar, in its own month: a month's grid also holds the first days of the next
   * month (and the last of the previous) as hidden outside days with the same `data-day`.
   */
  dayCell(day: string): Locator {
    return this.page.locator(`[data-day="${day}"]:not([data-outside])`);
  }

  /** Picks an inclusive custom range on the calendar (both days must be in the visible months). */
  async pickDays(first: string, last: string) {
    await this.dayCell(first).getByRole("button").click();
    await this.dayCell(last).getByRole("button").click();
  }

  /** The error state's 重试, for the first page or the next one. */
  async retry() {
    await this.retryButton.click();
  }

  async chooseType(option: "all" | "1" | "2") {
    await this.page.getByTestId(`type-option-${option}`).click();
  }

  // ---- The desk: search, filters, order, totals, sync, export, saved views ----

  get searchInput(): Locator {
    return this.page.getByTestId("search-input");
  }

  get chips(): Locator {
    return this.page.getByTestId("filter-chip");
  }

  get totalCount(): Locator {
    return this.page.getByTestId("total-count");
  }

  get staleNotice(): Locator {
    return this.page.getByTestId("stale-notice");
  }

  /** Focuses the search with `/` (as a person would) and types; the list follows after the debounce. */
  async search(text: string) {
    // `/` works once the page is interactive; pressed before hydration it is ignored, and a person presses again.
    await expect(async () => {
      await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await this.page.keyboard.press("/");
      await expect(this.searchInput).toBeFocused({ timeout: 500 });
    }).toPass();
    await this.searchInput.fill(text);
    await expect.poll(() => new URL(this.page.url()).searchParams.get("q")).toBe(text.trim());
  }

  /** The URL's parameter, as the page wrote it. */
  param(name: string): string | null {
    return new URL(this.page.url()).searchParams.get(name);
  }

  /** `共 N 条`, once it shows. */
  async total(): Promise<number> {
    await expect(this.totalCount).toBeVisible();
    return Number(await this.totalCount.getAttribute("data-total"));
  }

  /** Waits until the total shown is `n` and the table has settled on the new view's rows. */
  async expectTotal(n: number) {
    await expect(this.totalCount).toHaveAttribute("data-total", String(n));
    await expect(this.table).toHaveAttribute("aria-busy", "false");
  }

  async openFilters() {
    const panel = this.page.getByTestId("filter-panel-content");
    if (!(await panel.isVisible())) await this.page.getByTestId("filter-button").click();
    await expect(panel).toBeVisible({ timeout: 30_000 });
  }

  async closePopover() {
    await this.page.keyboard.press("Escape");
  }

  /** A value in the filter panel (its test id, e.g. `filter-status-unassigned`): the count it shows. */
  async filterCount(testId: string): Promise<number> {
    await this.openFilters();
    return Number(await this.page.getByTestId(testId).getAttribute("data-count"));
  }

  /** Ticks a value in the filter panel and returns the count it showed before. */
  async chooseFilter(testId: string): Promise<number> {
    const count = await this.filterCount(testId);
    await this.page.getByTestId(testId).click();
    return count;
  }

  async removeChip(chip: string) {
    await this.page.locator(`[data-testid="filter-chip"][data-chip="${chip}"] [data-testid="filter-chip-remove"]`).click();
  }

  async clearFilters() {
    await this.page.getByTestId("clear-filters").click();
  }

  async toggleOrder() {
    await this.page.getByTestId("order-toggle").click();
  }

  async refresh() {
    await this.page.getByTestId("refresh-button").click();
  }

  /** Exports the current view and waits for the browser's download. */
  async exportAs(format: "csv" | "xlsx") {
    await this.page.getByTestId("export-button").click();
    const download = this.page.waitForEvent("download", { timeout: 60_000 });
    await this.page.getByTestId(`export-${format}`).click();
    const file = await download;
    await expect(this.page.getByTestId("export-status")).toHaveAttribute("data-phase", "done");
    await this.closePopover();
    return file;
  }

  async openViews() {
    if (!(await this.page.getByTestId("views-menu").isVisible())) await this.page.getByTestId("views-button").click();
    await expect(this.page.getByTestId("views-menu")).toBeVisible();
  }

  savedView(name: string): Locator {
    return this.page.locator(`[data-testid="saved-view"][data-name="${name}"]`);
  }

  async saveView(name: string) {
    await this.openViews();
    await this.page.getByTestId("view-name-input").fill(name);
    await this.page.getByTestId("save-view").click();
    await expect(this.savedView(name)).toBeVisible();
  }

  async applyView(name: string) {
    await this.openViews();
    await this.savedView(name).getByTestId("saved-view-link").click();
  }

  async renameView(name: string, to: string) {
    await this.openViews();
    await this.savedView(name).hover();
    await this.savedView(name).getByTestId("rename-view").click();
    await this.page.getByTestId("rename-input").fill(to);
    await this.page.getByTestId("rename-save").click();
    await expect(this.savedView(to)).toBeVisible();
  }

  async deleteView(name: string) {
    await this.openViews();
    await this.savedView(name).hover();
    await this.savedView(name).getByTestId("delete-view").click();
    await this.savedView(name).getByTestId("delete-view").click();
    await expect(this.savedView(name)).toHaveCount(0);
  }
}
