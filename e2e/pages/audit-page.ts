import type { Download, Locator, Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { copy } from "../../lib/copy";
import type { PresetId } from "../../lib/date-presets";

/** The 审计日志 page (`/audit`) and what an admin does on it; also what a non-admin sees there. */
export class AuditPage {
  readonly headerLink: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly emptyState: Locator;
  readonly forbidden: Locator;
  readonly actorFilter: Locator;
  readonly actionFilter: Locator;
  readonly rangeLabel: Locator;
  private readonly rangeTrigger: Locator;
  private readonly clearDaysButton: Locator;
  private readonly exportLink: Locator;

  constructor(readonly page: Page) {
    this.headerLink = page.getByRole("link", { name: copy.app.navAudit, exact: true });
    this.table = page.getByTestId("audit-table");
    this.rows = page.getByTestId("audit-row");
    this.emptyState = page.getByTestId("empty-state");
    this.forbidden = page.getByTestId("forbidden");
    this.actorFilter = page.getByTestId("audit-actor-filter");
    this.actionFilter = page.getByTestId("audit-action-filter");
    this.rangeLabel = page.getByTestId("date-range-label");
    this.rangeTrigger = page.getByTestId("date-range-trigger");
    this.clearDaysButton = page.getByTestId("audit-clear-days");
    this.exportLink = page.getByTestId("audit-export");
  }

  /** Opens `/audit` directly and returns the document's HTTP status. */
  async goto(query = ""): Promise<number | undefined> {
    const response = await this.page.goto(`/audit${query}`);
    return response?.status();
  }

  /** Follows the header's 审计日志 link. */
  async openFromHeader() {
    await this.headerLink.click();
    await expect(this.page).toHaveURL(/\/audit$/);
    await this.waitForRows();
  }

  async waitForRows() {
    await expect(this.rows.first().or(this.emptyState)).toBeVisible({ timeout: 30_000 });
  }

  /** The cells of a row: time, action label, user, the target's link (a reveal's lead), the readable detail. */
  row(index: number) {
    const row = this.rows.nth(index);
    return {
      row,
      at: row.getByTestId("audit-at"),
      action: row.getByTestId("audit-action"),
      actor: row.getByTestId("audit-actor"),
      targetLink: row.getByTestId("audit-target-link"),
      detail: row.getByTestId("audit-detail"),
    };
  }

  async filterByActor(name: string | null) {
    await this.actorFilter.selectOption(name ?? "");
    await this.waitForRows();
  }

  async filterByAction(label: string | null) {
    await this.actionFilter.selectOption(label === null ? { value: "" } : { label });
    await this.waitForRows();
  }

  async pickPreset(id: PresetId) {
    await this.rangeTrigger.click();
    await this.page.getByTestId(`preset-${id}`).click();
    await this.waitForRows();
  }

  async clearDays() {
    await this.clearDaysButton.click();
    await this.waitForRows();
  }

  /** 导出 CSV: the download, once it has finished. */
  async exportCsv(): Promise<Download> {
    const download = this.page.waitForEvent("download");
    await this.exportLink.click();
    return download;
  }
}
