import type { Locator, Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { copy } from "../../lib/copy";
import type { ChannelKind } from "../../lib/notifications/schema";

export type SubscriptionFormValues = { name?: string; query?: string; kind?: ChannelKind; url?: string; secret?: string; digest?: string };

/** The 通知 page (`/notifications`): the subscriptions an admin keeps, and what they do with them. */
export class NotificationsPage {
  readonly headerLink: Locator;
  readonly subscriptions: Locator;
  readonly emptyState: Locator;
  readonly createForm: Locator;
  readonly editForm: Locator;

  constructor(readonly page: Page) {
    this.headerLink = page.getByRole("link", { name: copy.app.navNotifications, exact: true });
    this.subscriptions = page.getByTestId("subscription");
    this.emptyState = page.getByTestId("subscriptions-empty");
    this.createForm = page.getByTestId("subscription-create-form");
    this.editForm = page.getByTestId("subscription-edit-form");
  }

  /** Follows the header's 通知 link and waits for the list (or its empty state). */
  async openFromHeader() {
    await this.headerLink.click();
    await expect(this.page).toHaveURL(/\/notifications$/);
    await expect(this.subscriptions.first().or(this.emptyState)).toBeVisible({ timeout: 30_000 });
  }

  /** One subscription's card, found by its name. */
  card(name: string) {
    const card = this.subscriptions.filter({ has: this.page.getByTestId("subscription-name").getByText(name, { exact: true }) });
    return {
      card,
      kind: card.getByTestId("subscription-kind"),
      url: card.getByTestId("subscription-url"),
      filters: card.getByTestId("subscription-filters"),
      lastDelivery: card.getByTestId("subscription-last-delivery"),
      lastError: card.getByTestId("subscription-last-error"),
      testReply: card.getByTestId("test-reply"),
      testReplyBody: card.getByTestId("test-reply-body"),
      sendTest: () => card.getByTestId("subscription-test").click(),
      edit: () => card.getByTestId("subscription-edit").click(),
      /** 删除, then 确认删除？ */
      delete: async () => {
        await card.getByTestId("subscription-delete").click();
        await card.getByTestId("subscription-delete").getByText(copy.notifications.confirmDelete).click();
      },
    };
  }

  private async fill(form: Locator, values: SubscriptionFormValues) {
    if (values.name !== undefined) await form.getByTestId("subscription-name-input").fill(values.name);
    if (values.query !== undefined) await form.getByTestId("subscription-query-input").fill(values.query);
    if (values.url !== undefined) await form.getByTestId("subscription-url-input").fill(values.url);
    if (values.kind !== undefined) await form.getByTestId("subscription-kind-input").selectOption(values.kind);
    if (values.secret !== undefined) await form.getByTestId("subscription-secret-input").fill(values.secret);
    if (values.digest !== undefined) await form.getByTestId("subscription-digest-input").fill(values.digest);
    await form.getByTestId("subscription-save").click();
  }

  /** Fills the 新建 form and saves it. */
  create(values: SubscriptionFormValues) {
    return this.fill(this.createForm, values);
  }

  /** 修改 on a card, then the changes saved. */
  async change(name: string, values: SubscriptionFormValues) {
    await this.card(name).edit();
    await this.fill(this.editForm, values);
    await expect(this.editForm).toHaveCount(0);
  }

  formError(form: Locator) {
    return form.getByTestId("subscription-form-error");
  }
}
