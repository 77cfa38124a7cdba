import { expect, test } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// Billing against the fake Stripe server: its hosted Checkout sends the
// webhook a moment after redirecting back, so the page must pick it up live.

test("top up $10 through Checkout: the new balance shows without a reload; Manage billing opens the portal", async ({ page }) => {
  await signUpInBrowser(page, "Payer", uniqueEmail("payer"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  await expect(page.getByTestId("billing-balance")).toHaveText("$1");
  await expect(page.getByTestId("plan-free")).toContainText("Current plan");
  await expect(page.getByTestId("wallet-history")).toContainText("Included credits");

  await page.getByRole("button", { name: "Top up $10", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Fake Checkout" })).toBeVisible();
  await expect(page.getByText("Pay 10.00 USD")).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(/\/billing\?checkout=success/);
  await expect(page.getByText("Payment received.")).toBeVisible();
  // The webhook lands after the redirect: the page updates itself.
  await expect(page.getByTestId("billing-balance")).toHaveText("$11", { timeout: 20_000 });
  await expect(page.getByTestId("balance")).toHaveText("Available credits: $11");
  await expect(page.getByTestId("wallet-history")).toContainText("Top up");
  await expect(page.getByTestId("wallet-history")).toContainText("+$10");

  // Auto top-up can be set now that a card is saved.
  await page.getByLabel("When the balance is under (USD)").fill("2");
  await page.getByLabel("Add (USD)").fill("10");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("auto-top-up-status")).toHaveText(/^On\./);

  await page.getByRole("button", { name: "Manage billing" }).click();
  await expect(page.getByRole("heading", { name: "Fake billing portal" })).toBeVisible();
  expect(page.url()).toMatch(/\/portal\/bps_/);
});

test("choosing a plan subscribes through Checkout: Basic becomes the current plan with its included credits", async ({ page }) => {
  await signUpInBrowser(page, "Planner", uniqueEmail("planner"));
  await page.goto("/billing");
  await page.getByTestId("plan-basic").getByRole("button", { name: "Choose Basic" }).click();
  await expect(page.getByText("Pay 29.00 USD")).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("plan-basic")).toContainText("Current plan", { timeout: 20_000 });
  await expect(page.getByTestId("billing-balance")).toHaveText("$31");
  await expect(page.getByRole("cell", { name: /^FAKE-/ })).toBeVisible();
});
