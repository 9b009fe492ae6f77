import { copy } from "../lib/copy";
import { type RobotServer, startRobotServer } from "../tests/support/robot-server";
import { NotificationsPage } from "./pages/notifications-page";
import { expect, test } from "./support/fixtures";
import { E2E_ROBOT_PORT } from "./support/ports";

/**
 * The 通知 page as an admin (alice) uses it: a subscription to the suite's stand-in WeCom robot (the app's
 * NOTIFY_ALLOWED_HOSTS lists it), 发送测试 showing the robot's own reply, a failing robot's error, a change, a
 * refused host, and deletion.
 */

let robot: RobotServer;
test.beforeAll(async () => {
  robot = await startRobotServer(E2E_ROBOT_PORT);
});
test.afterAll(async () => {
  await robot.close();
});

/** What 发送测试 sent this robot (the sender's own messages of new leads, if any arrive, are not counted). */
const testMessages = (robotKey: string) => robot.for(robotKey).filter((r) => r.raw.includes("线索台测试消息"));

// The refused host is the API's 400, which Chromium logs.
test.use({ allowedConsoleErrors: [/status of 400 \(Bad Request\)/] });

test("an admin subscribes a robot to a view, tests it, changes it and deletes it", async ({ page }) => {
  const robotKey = `e2e-notify-${Date.now()}`;
  const name = "企业新线索 e2e";
  const notifications = new NotificationsPage(page);
  await page.goto("/audit");
  await notifications.openFromHeader();
  await expect(page).toHaveTitle(new RegExp(`^${copy.notifications.heading}`));

  // A host the app does not list is refused with the API's reason, and nothing is saved.
  await notifications.create({ name: "refused", query: "", kind: "wecom", url: "https://robot.example.invalid/cgi-bin/webhook/send?key=x" });
  await expect(notifications.formError(notifications.createForm)).toContainText("NOTIFY_ALLOWED_HOSTS");
  await expect(notifications.card("refused").card).toHaveCount(0);

  // Created: the card shows the kind, the URL shortened (never the robot's key), the filters in words.
  await notifications.create({ name, query: "type=2", kind: "wecom", url: robot.url("wecom", robotKey) });
  const card = notifications.card(name);
  await expect(card.card).toBeVisible();
  await expect(notifications.formError(notifications.createForm)).toHaveCount(0);
  await expect(notifications.createForm.getByTestId("subscription-url-input")).toHaveValue("");
  await expect(card.kind).toHaveText(copy.notifications.kinds.wecom);
  await expect(card.url).toHaveText(`http://${robot.host}/…${robotKey.slice(-4)}`);
  await expect(card.filters).toHaveText(copy.desk.chipType(copy.clueType.company));
  await expect(card.lastDelivery).toHaveText(copy.notifications.never);
  await expect(page.locator("body")).not.toContainText(robotKey);

  // 发送测试 to a robot that fails: the failure and the robot's answer, and the card's last error.
  robot.setMode(robotKey, "error500");
  await card.sendTest();
  await expect(card.testReply).toHaveAttribute("data-ok", "false");
  await expect(card.testReply).toContainText("500");
  await expect(card.lastError).toBeVisible();

  // 发送测试 to a robot that takes it: WeCom's own reply is shown, and the robot got one markdown message.
  robot.setMode(robotKey, "ok");
  await card.sendTest();
  await expect(card.testReply).toHaveAttribute("data-ok", "true");
  await expect(card.testReplyBody).toHaveText(JSON.stringify({ errcode: 0, errmsg: "ok" }));
  await expect(card.lastDelivery).not.toHaveText(copy.notifications.never);
  const tests = testMessages(robotKey);
  expect(tests).toHaveLength(2);
  expect(tests[1]!.body).toMatchObject({ msgtype: "markdown", markdown: { content: expect.stringContaining(name) } });
  await page.screenshot({ path: test.info().outputPath("notifications-tested.png"), fullPage: true });

  // 修改: a new name, no filters and a digest; the robot is kept when no new URL is typed.
  const renamed = "全部新线索 e2e";
  await notifications.change(name, { name: renamed, query: "", digest: "09:30" });
  const changed = notifications.card(renamed);
  await expect(changed.card).toContainText(copy.notifications.digestAt("09:30"));
  await expect(changed.filters).toHaveText(copy.notifications.allLeads);
  await expect(changed.url).toHaveText(`http://${robot.host}/…${robotKey.slice(-4)}`);
  await changed.sendTest();
  await expect(changed.testReply).toHaveAttribute("data-ok", "true");
  expect(testMessages(robotKey)).toHaveLength(3);

  // 删除 takes a second click; then the subscription is gone.
  await changed.delete();
  await expect(changed.card).toHaveCount(0);
  await page.reload();
  await expect(notifications.subscriptions.first().or(notifications.emptyState)).toBeVisible();
  await expect(notifications.card(renamed).card).toHaveCount(0);
});
