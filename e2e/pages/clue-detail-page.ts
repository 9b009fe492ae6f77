import type { Locator, Page } from "@playwright/test";

/** The clue detail, as a sheet over the list or as a full page. */
export class ClueDetailPage {
  readonly root: Locator;
  readonly close: Locator;
  readonly sheet: Locator;
  readonly followUps: Locator;
  readonly notFound: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("clue-detail");
    this.close = page.getByTestId("close-detail");
    this.sheet = page.getByTestId("sheet");
    this.followUps = page.getByTestId("follow-up-item");
    this.notFound = page.getByTestId("clue-not-found");
  }
}
