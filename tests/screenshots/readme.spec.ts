import { statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "../e2e/helpers";

// The README's screenshots (npm run screenshots): a new user's first run, at a desktop's size
// (1280×800) and a phone's (390×844), each page shot once it has loaded. Viewport only, PNG.

const dir = path.join(process.cwd(), "docs", "screenshots");
const phone = { width: 390, height: 844 };

/** Waits for the page's heading and for everything on it to have loaded, then saves the top of the page, as the window shows it, as docs/screenshots/<name>.png. */
async function shoot(page: Page, name: string, heading: string) {
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expect(page.getByText(/^Loading .*…$/)).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, animations: "disabled" });
  expect(statSync(file).size, `${name}.png stays small`).toBeLessThan(150_000);
}

test("the main pages, from the catalog to a finished first run, its usage and billing", async ({ page }) => {
  await signUpInBrowser(page, "Ada", uniqueEmail("readme"));

  await page.goto("/agents");
  await expect(page.getByText(/^\d+\+? agents?$/)).toBeVisible();
  await shoot(page, "catalog", "Agents");

  await page.goto("/welcome");
  await expect(page.getByTestId("welcome-credit")).toHaveText("Your workspace has $1 of credit: enough to try every agent.");
  await shoot(page, "welcome", "Welcome to Agora, Ada");

  // The agent the welcome page offers first, with its example filled in and priced.
  const agentName = "Security Scanner";
  await page.getByRole("link", { name: `Try ${agentName}` }).click();
  await expect(page).toHaveURL(/\/agents\/security-scanner\?example=1$/);
  await expect(page.getByTestId("run-quote")).toContainText("Expected price $0.002");
  await shoot(page, "agent", agentName);

  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(page.getByRole("heading", { name: "Next steps" })).toBeVisible();
  await expect(page.getByTestId("tool-call").first()).toBeVisible();
  await expect(page.getByText("Workspace balance now: $0.998")).toBeVisible();
  await shoot(page, "run", agentName);
  const runUrl = page.url();

  await page.goto("/runs");
  await expect(page.getByRole("link", { name: agentName }).first()).toBeVisible();
  await shoot(page, "runs", "Runs");

  await page.goto("/usage");
  await expect(page.getByRole("figure", { name: "Spend per day by agent" }).locator(".recharts-bar-rectangle path")).toHaveCount(1);
  await shoot(page, "usage", "Usage");

  await page.goto("/billing");
  await shoot(page, "billing", "Billing");

  // On a phone: the finished run, then the main menu opened over it.
  await page.setViewportSize(phone);
  await page.goto(runUrl);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(page.getByTestId("tool-call").first()).toBeVisible();
  await shoot(page, "run-phone", agentName);

  const menuButton = page.getByRole("button", { name: "Menu", exact: true });
  await menuButton.click();
  await expect(page.locator(`#${await menuButton.getAttribute("aria-controls")}`).getByRole("link", { name: "Agents" })).toBeFocused();
  await shoot(page, "menu-phone", agentName);
});
