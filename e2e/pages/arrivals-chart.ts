import type { Locator, Page } from "@playwright/test";
import { expect } from "@playwright/test";

/** The arrivals chart above the list, and what a person does with it: point at, click and drag across bars. */
export class ArrivalsChartPanel {
  readonly root: Locator;
  readonly bars: Locator;
  readonly tooltip: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("arrivals-chart");
    this.bars = page.getByTestId("arrivals-bar");
    this.tooltip = page.getByTestId("arrivals-tooltip");
  }

  /** Waits until the facets have landed and the bars show counts. */
  async waitForData() {
    await expect(this.root).toHaveAttribute("data-state", "success", { timeout: 30_000 });
  }

  bar(start: string): Locator {
    return this.root.locator(`[data-testid="arrivals-bar"][data-start="${start}"]`);
  }

  async split(by: "type" | "status") {
    await this.page.getByTestId(`chart-split-${by}`).click();
  }

  /** Presses on the bar of `from`, moves across to the bar of `to` and lets go there. */
  async drag(from: string, to: string) {
    const a = await this.bar(from).boundingBox();
    const b = await this.bar(to).boundingBox();
    if (a === null || b === null) throw new Error(`bars ${from} / ${to} are not on screen`);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height - 4);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2 + b.width / 2, b.y + b.height - 4, { steps: 6 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height - 4, { steps: 3 });
    await this.page.mouse.up();
  }
}
