import { parse as parseCsv } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { copy } from "../lib/copy";
import { FIELD_TYPE } from "../lib/tanma/field-types";
import { ClueDetailPage } from "./pages/clue-detail-page";
import { AuditPage } from "./pages/audit-page";
import { addDays, chinaToday, findClue } from "./pages/api";
import { expect, newClockedContext, test } from "./support/fixtures";
import { E2E_USERS } from "./support/tenant";

/**
 * The audit trail as people meet it: alice (an admin, CLUE_DESK_ADMINS) reveals a lead's numbers and finds it at
 * the top of 审计日志, narrows by user, action and day, and exports it; bob (not an admin) sees no link and
 * gets the 403 page.
 */

const alice = E2E_USERS.alice;
const bob = E2E_USERS.bob;

test("an admin finds their phone reveal at the top of 审计日志, filters the trail and exports it", async ({ page, request }) => {
  const today = chinaToday();
  // A lead with a phone number to reveal (other specs add leads without one to today).
  const { clue } = await findClue(request, "clue with a phone number", (c) => c.fields.some((f) => f.type === FIELD_TYPE.phone && f.values.length > 0));
  const customerId = clue.customerId;
  const detail = new ClueDetailPage(page);
  await page.goto(`/clues/${customerId}`);
  await detail.waitForClue(customerId);
  await detail.revealPhones();

  const audit = new AuditPage(page);
  await audit.openFromHeader();
  await expect(page).toHaveTitle(new RegExp(`^${copy.audit.heading}`));
  const top = audit.row(0);
  await expect(top.action).toHaveText(copy.audit.actions.phone_reveal);
  await expect(top.actor).toHaveText(alice.name);
  await expect(top.at).toContainText(today);
  await expect(top.targetLink).toHaveText(copy.audit.openLead(customerId));
  await page.screenshot({ path: test.info().outputPath("audit-admin.png") });

  // Filters: each narrows the rows and lands in the URL; the reveal stays on top.
  await audit.filterByAction(copy.audit.actions.phone_reveal);
  await expect(page).toHaveURL(/action=phone_reveal/);
  await expect(audit.rows.locator('[data-testid="audit-action"]:not([data-action="phone_reveal"])')).toHaveCount(0);
  await audit.filterByActor(alice.name);
  await expect(page).toHaveURL(new RegExp(`actor=${alice.name}`));
  await expect(audit.page.locator(`[data-testid="audit-row"]:not([data-actor="${alice.name}"])`)).toHaveCount(0);
  await audit.pickPreset("today");
  await expect(page).toHaveURL(new RegExp(`since=${today}&before=${addDays(today, 1)}`));
  await expect(audit.row(0).targetLink).toHaveText(copy.audit.openLead(customerId));
  await audit.pickPreset("yesterday");
  await expect(audit.rows.filter({ hasText: today })).toHaveCount(0);
  await audit.clearDays();
  await expect(audit.rangeLabel).toHaveText(copy.audit.allDays);

  // A reload keeps the filters (the URL is the state).
  await page.reload();
  await expect(audit.actionFilter).toHaveValue("phone_reveal");
  await expect(audit.actorFilter).toHaveValue(alice.name);
  await audit.waitForRows();

  // 导出 CSV: the filtered trail, newest first, with the reveal on top; the export is itself recorded.
  const download = await audit.exportCsv();
  const [header, first] = parseCsv(await readFile((await download.path())!), { bom: true }) as string[][];
  expect(header).toEqual(["时间", "操作", "用户", "客户端地址", "对象", "详情"]);
  expect(first).toEqual([expect.stringContaining(today), copy.audit.actions.phone_reveal, alice.name, expect.any(String), customerId, "{}"]);
  await audit.filterByAction(copy.audit.actions.audit_export);
  await expect(audit.row(0).action).toHaveText(copy.audit.actions.audit_export);
  await expect(audit.row(0).detail).toContainText("action=phone_reveal");

  // The reveal's row links to its lead.
  await audit.filterByAction(copy.audit.actions.phone_reveal);
  await audit.row(0).targetLink.click();
  await detail.waitForClue(customerId);
});

test.describe("a user who is not an admin", () => {
  // The refused page is the main document: Chromium logs its 403.
  test.use({ allowedConsoleErrors: [/status of 403 \(Forbidden\)/] });

  test("has no link and gets the 403 page, and the API refuses them", async ({ browser }) => {
    const context = await newClockedContext(browser, { storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/clues");
    await page.getByLabel(copy.auth.username).fill(bob.name);
    await page.getByLabel(copy.auth.password).fill(bob.password);
    await page.getByRole("button", { name: copy.auth.submit, exact: true }).click();
    await expect(page.getByText(copy.auth.signedInAs(bob.name))).toBeVisible();

    const audit = new AuditPage(page);
    await expect(page.getByRole("link", { name: copy.app.navClues, exact: true })).toBeVisible();
    await expect(audit.headerLink).toHaveCount(0);
    expect(await audit.goto()).toBe(403);
    await expect(audit.forbidden).toContainText(copy.audit.forbiddenTitle);
    await expect(audit.table).toHaveCount(0);
    const api = await page.request.get("/api/audit");
    expect(api.status()).toBe(403);
    await context.close();
  });
});
