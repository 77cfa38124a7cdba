import { expect, test } from "@playwright/test";
import { loadHydrated, signUpInBrowser, uniqueEmail } from "./helpers";

// Version pins (issue 20): an owner pins a package on the workspace settings page, choosing among
// its versions; the agent page's run form then runs the pinned version by default and says so.

test("an owner pins a package on the settings page; the agent page's run form runs the pinned version", async ({ page }) => {
  await signUpInBrowser(page, "Pinner", uniqueEmail("pins"));
  await loadHydrated(page, "/workspace");
  await expect(page.getByText("No pins", { exact: true })).toBeVisible();

  // Keyboard only: the slug, Enter shows its versions, choose the major line, Enter adds the pin.
  const slug = page.getByLabel("Package slug");
  await slug.fill("no-such-package-here");
  await slug.press("Enter");
  await expect(page.getByText("There is no published package 'no-such-package-here'.")).toBeVisible();
  await slug.fill("ticket-resolver");
  await slug.press("Enter");
  const version = page.getByLabel("Version", { exact: true });
  await expect(version).toBeVisible();
  await version.selectOption("1");
  await version.press("Tab"); // to "Add pin"
  await expect(page.getByRole("button", { name: "Add pin" })).toBeFocused();
  await page.keyboard.press("Enter");
  const row = page.getByTestId("pin-row");
  await expect(row).toContainText("ticket-resolver@1");
  await expect(row).toContainText("runs 1.0.0");

  // At phone width the section fits.
  await page.setViewportSize({ width: 375, height: 800 });
  await loadHydrated(page, "/workspace");
  await expect(page.getByTestId("pin-row")).toContainText("ticket-resolver@1");
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 900 });

  await loadHydrated(page, "/agents/ticket-resolver");
  const choice = page.getByLabel("Version", { exact: true });
  await expect(choice).toHaveValue("");
  await expect(choice.locator("option:checked")).toHaveText("Workspace pin 1 (runs 1.0.0)");
  await expect(page.getByText("Your workspace pins this package")).toBeVisible();
  await page.getByLabel("Subject", { exact: true }).fill("Refund for a double charge");
  await page.getByLabel("Body", { exact: true }).fill("I was charged twice for my March invoice.");
  await expect(page.getByTestId("quote-version")).toHaveText("Runs 1.0.0");
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByText("v1.0.0", { exact: true }).first()).toBeVisible();

  // Removing the pin empties the list again.
  await loadHydrated(page, "/workspace");
  await page.getByRole("button", { name: "Remove the pin of ticket-resolver" }).click();
  await expect(page.getByText("No pins", { exact: true })).toBeVisible();
});
