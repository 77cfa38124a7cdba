import { expect, test } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";
import { linkFromMail } from "./mail";

// The first hour starts here: sign-up lands on a welcome, not on workspace settings.

test("sign up → welcome (credit once verified) → run the first agent with its example → the run page, to the micro-dollar", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const email = uniqueEmail("welcome");
  await signUpInBrowser(page, "Wendy", email, undefined, { verify: false });
  await expect(page.getByTestId("welcome-credit")).toContainText("Your $1 starting credit arrives once you verify your e-mail");
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  await page.goto(await linkFromMail(email, /Verify your e-mail/));
  await page.getByRole("button", { name: "Verify my e-mail" }).click();
  await page.getByRole("link", { name: "Run your first agent" }).click();
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByTestId("welcome-credit")).toHaveText("Your workspace has $1 of credit: enough to try every agent.");

  await page.getByRole("link", { name: "Try Security Scanner" }).click();
  await expect(page).toHaveURL(/\/agents\/security-scanner\?example=1$/);
  await expect(page.getByLabel("Path").first()).toHaveValue("config/settings.py");
  await page.getByRole("button", { name: "Run agent" }).click();

  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(page.getByTestId("run-total")).toHaveText("$0.002");
  await expect(page.getByText("Workspace balance now: $0.998")).toBeVisible();
  await expect(page.getByTestId("balance")).toHaveAttribute("title", /Available credits: \$0\.998/);
});

test("the welcome page offers the docs' next steps: the catalog, API keys and the workspace", async ({ page }) => {
  await signUpInBrowser(page, "Nadia", uniqueEmail("next"), undefined, { verify: false });
  await page.getByRole("link", { name: "Create an API key" }).click();
  await expect(page).toHaveURL(/\/keys$/);
});
