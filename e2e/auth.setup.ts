import { copy } from "../lib/copy";
import { expect, test as setup } from "./support/fixtures";
import { E2E_STORAGE_STATE, E2E_USERS } from "./support/tenant";

/** Signs the suite's user in through the real login page once; every spec reuses the session (storageState). */
setup("sign in through the login page", async ({ page }) => {
  const alice = E2E_USERS.alice;
  await page.goto("/clues");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fclues$/);
  await page.getByLabel(copy.auth.username).fill(alice.name);
  await page.getByLabel(copy.auth.password).fill(alice.password);
  await page.getByRole("button", { name: copy.auth.submit, exact: true }).click();
  await expect(page).toHaveURL(/\/clues$/);
  await expect(page.getByText(copy.auth.signedInAs(alice.name))).toBeVisible();
  await page.context().storageState({ path: E2E_STORAGE_STATE });
});
