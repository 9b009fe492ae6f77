import type { Locator, Page } from "@playwright/test";
import { expect } from "@playwright/test";

/** The clue detail, as a sheet over the list or as a full page, and what a person does in it. */
export class ClueDetailPage {
  readonly root: Locator;
  readonly sheet: Locator;
  readonly name: Locator;
  readonly fields: Locator;
  readonly emptyFields: Locator;
  readonly tagChips: Locator;
  readonly phoneValues: Locator;
  readonly followUps: Locator;
  readonly notFound: Locator;
  readonly backToList: Locator;
  private readonly closeButton: Locator;
  private readonly revealButton: Locator;
  private readonly moreFollowUpsButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("clue-detail");
    this.sheet = page.getByTestId("sheet");
    this.name = page.getByTestId("clue-detail-name");
    this.fields = page.getByTestId("detail-field");
    this.emptyFields = page.getByTestId("empty-fields");
    this.tagChips = page.getByTestId("detail-tags").getByTestId("tag-chip");
    this.phoneValues = page.getByTestId("phone-values");
    this.followUps = page.getByTestId("follow-up-item");
    this.notFound = page.getByTestId("clue-not-found");
    this.backToList = page.getByTestId("back-to-list");
    this.closeButton = page.getByTestId("close-detail");
    this.revealButton = page.getByTestId("reveal-phones");
    this.moreFollowUpsButton = page.getByTestId("follow-ups-more");
  }

  /** Waits until the full detail (not the list row standing in for it) of `customerId` is shown. */
  async waitForClue(customerId: string) {
    await expect(this.root).toHaveAttribute("data-customer-id", customerId);
    await expect(this.root).toHaveAttribute("data-complete", "true");
  }

  /** The × button of the sheet. */
  async close() {
    await this.closeButton.click();
    await expect(this.sheet).toHaveCount(0);
  }

  /** The audited reveal: the full numbers replace the masked ones. */
  async revealPhones() {
    await this.revealButton.click();
    await expect(this.revealButton).toHaveCount(0);
  }

  /** 加载更多 under the follow-ups: waits for the next page to add items. */
  async moreFollowUps() {
    const before = await this.followUps.count();
    await this.moreFollowUpsButton.click();
    await expect.poll(() => this.followUps.count()).toBeGreaterThan(before);
  }
}
