import { expect, test } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// Money as a new user meets it: the quote before a run, the price breakdown
// after it, the balance in the header, the run in the usage charts, and the
// budgets that stop spending.

test("a new user sees the quote, runs an agent, sees its cost, the balance drop and the run in the usage charts", async ({ page }) => {
  await signUpInBrowser(page, "Spender", uniqueEmail("spender"));
  await expect(page.getByTestId("balance")).toHaveText("Available credits: $1");

  await page.goto("/agents/security-scanner");
  await page.getByRole("button", { name: "Use example" }).click();
  // The offline model costs nothing: a run is its base fee, and that is what is held.
  await expect(page.getByTestId("run-quote")).toContainText("Expected price $0.002");
  await expect(page.getByTestId("run-quote")).toContainText("up to $0.002 held while it runs");
  await page.getByRole("button", { name: "Run agent" }).click();

  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  const breakdown = page.getByTestId("price-breakdown");
  await expect(breakdown).toContainText("Model cost$0");
  await expect(breakdown).toContainText("Platform fee$0.002");
  await expect(page.getByTestId("run-total")).toHaveText("$0.002");
  await expect(page.getByTestId("balance")).toHaveText("Available credits: $0.998");
  await expect(breakdown).toContainText("Workspace balance now: $0.998");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
  const totals = page.getByTestId("usage-totals");
  await expect(totals).toContainText("Spend$0.002");
  await expect(totals).toContainText("Runs11 succeeded · 0 failed · 0 canceled");
  await expect(totals).toContainText("Balance$0.998");
  await expect(totals).toContainText("Burning $0.00025/day (last 7 days): about 3,992 days left");
  // The charts draw today's run: one bar per chart, in the agent's series.
  const spend = page.getByRole("figure", { name: "Spend per day by agent" });
  await expect(spend.locator(".recharts-bar-rectangle path")).toHaveCount(1);
  await expect(spend).toContainText("security-scanner");
  await expect(page.getByRole("figure", { name: "Runs per day by status" }).locator(".recharts-bar-rectangle path")).toHaveCount(1);
  await expect(page.getByText("Members (browser)")).toBeVisible();

  // A range with nothing in it says so.
  await page.getByLabel("From", { exact: true }).fill("2026-01-01");
  await page.getByLabel("To", { exact: true }).fill("2026-01-31");
  await expect(page.getByText("No runs in this range")).toBeVisible();
});

test("a workspace spend cap stops runs with a clear message; a key gets a monthly spend limit", async ({ page }) => {
  await signUpInBrowser(page, "Capped", uniqueEmail("capped"));
  const cap = page.getByLabel("Cap in USD (empty = no cap)");
  await cap.fill("0.001");
  await page.getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByTestId("month-spend")).toContainText("cap $0.001");

  await page.goto("/agents/security-scanner");
  await page.getByRole("button", { name: "Use example" }).click();
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "monthly spend cap" })).toContainText("would pass the workspace's monthly spend cap of $0.001");

  await page.goto("/workspace");
  await page.getByLabel("Cap in USD (empty = no cap)").fill("");
  await page.getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByTestId("month-spend")).toContainText("no cap");

  await page.goto("/keys");
  await page.getByLabel("Key name").fill("Nightly job");
  await page.getByLabel("Monthly spend limit, USD (optional)").fill("5");
  await page.getByRole("button", { name: "Create key" }).click();
  const row = page.getByTestId("api-key-row").filter({ hasText: "Nightly job" });
  await expect(row).toContainText("$0 of $5");
  await row.getByRole("button", { name: "Set the monthly spend limit of Nightly job" }).click();
  await row.getByLabel("Monthly spend limit for Nightly job, USD").fill("7.5");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("$0 of $7.50");
});
