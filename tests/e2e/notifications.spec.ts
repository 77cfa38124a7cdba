import { expect, test, type Browser } from "@playwright/test";
import { loadHydrated, signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// The bell (issue 22, item 4): a user whose balance goes low sees the count, opens the panel, follows
// nothing yet, closes it with Escape (focus back on the bell), and marks everything read.

async function adminPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInInBrowser(page, "admin@agora.dev", "agora-admin");
  await expect(page.getByLabel("Account menu")).toBeVisible();
  return { context, page };
}

test("balance goes low: the bell counts it, the panel lists it with a link to billing, Escape closes it, mark all read clears the count", async ({ page, browser }) => {
  await signUpInBrowser(page, "Bell User", uniqueEmail("bell"));
  await loadHydrated(page, "/workspace");
  const bell = page.getByTestId("notification-bell");
  await expect(bell).toHaveAccessibleName("Notifications");
  await expect(page.getByTestId("notification-count")).toHaveCount(0);

  // An operator deducts $0.75 of the $1 starting credit: the wallet falls under $0.50 (balance.low).
  const me = await (await page.request.get("/api/v1/me")).json();
  const admin = await adminPage(browser);
  const deducted = await admin.page.request.post(`/api/v1/admin/workspaces/${me.workspace.id}/credits`, {
    headers: { "idempotency-key": `bell-${me.workspace.id}` },
    data: { direction: "deduct", amountMicros: 750_000, reason: "E2E: bring the balance under the low-balance line" },
  });
  expect(deducted.status()).toBe(200);
  await admin.context.close();

  await loadHydrated(page, "/workspace");
  await expect(page.getByTestId("notification-count")).toHaveText("1");
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
  await bell.click();
  const panel = page.getByRole("region", { name: "Notifications" });
  await expect(panel).toBeVisible();
  const item = panel.getByTestId("notification");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("Low balance");
  await expect(item).toContainText("$0.25 of credits left");
  await expect(item).toHaveAttribute("href", "/billing");

  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(bell).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(panel).toBeVisible();
  await panel.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByTestId("notification-count")).toHaveCount(0);
  await expect(bell).toHaveAccessibleName("Notifications");
  await expect(item).toHaveCount(1); // still listed, read

  // Preferences on the account page: money alerts cannot be turned off; runs can.
  await loadHydrated(page, "/account#notifications");
  await expect(page.getByRole("checkbox", { name: /^Money/ })).toBeDisabled();
  await expect(page.getByRole("checkbox", { name: /^Money/ })).toBeChecked();
  await page.getByRole("checkbox", { name: /^Runs/ }).uncheck();
  await loadHydrated(page, "/account");
  await expect(page.getByRole("checkbox", { name: /^Runs/ })).not.toBeChecked();
});
