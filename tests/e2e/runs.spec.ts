import { expect, test } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// The main path of the execution engine, as a new user meets it, on the offline model.

test("search the catalog, run Security Scanner on its example, watch the tools, see findings, replay from history", async ({ page }) => {
  await signUpInBrowser(page, "Runner", uniqueEmail("runner"));
  await expect(page.getByTestId("balance")).toHaveText("Available credits: $1"); // the Free tier's included credits

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Agents" })).toBeVisible();
  await page.getByLabel("Search agents").fill("secret");
  await expect(page).toHaveURL(/[?&]q=secret/);
  const cards = page.getByRole("list").filter({ has: page.getByRole("link", { name: "Security Scanner" }) });
  await expect(cards.getByRole("link", { name: "Data Processor" })).toHaveCount(0);
  await page.getByRole("link", { name: "Security Scanner" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Security Scanner" })).toBeVisible();
  await page.getByRole("button", { name: "Use example" }).click();
  await expect(page.getByLabel("Path").first()).toHaveValue("config/settings.py");
  await page.getByRole("button", { name: "Run agent" }).click();

  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  const runUrl = page.url();
  const toolCalls = page.getByTestId("tool-call");
  await expect(toolCalls).toHaveCount(2);
  await expect(toolCalls.nth(0)).toContainText("scan_secrets");
  await expect(toolCalls.nth(1)).toContainText("scan_code_patterns");
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(page.getByText("offline model").first()).toBeVisible();

  const findings = page.getByRole("table", { name: "Findings" });
  await expect(findings).toContainText("SECRET-AWS-ACCESS-KEY");
  await expect(findings).toContainText("config/settings.py:2");
  await expect(findings).toContainText("app/db.js:2");

  await toolCalls.nth(0).locator("summary").click();
  await expect(toolCalls.nth(0)).toContainText("Result");

  // The run is in the history, and opening it replays the transcript.
  await page.getByRole("link", { name: "Runs", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Security Scanner" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("succeeded");
  await row.getByRole("link", { name: "Security Scanner" }).click();
  await expect(page).toHaveURL(runUrl);
  await expect(toolCalls).toHaveCount(2);
  await expect(toolCalls.nth(0)).toContainText("scan_secrets");
  // The run was charged its base fee ($0.002 on the offline model): the header shows what is left.
  await expect(page.getByTestId("balance")).toHaveText("Available credits: $0.998");
  await expect(page.getByTestId("tool-call")).toHaveCount(2);
  await expect(page.getByRole("table", { name: "Findings" })).toContainText("SECRET-AWS-ACCESS-KEY");
});

test("the run form puts the API's validation errors on the fields", async ({ page }) => {
  await signUpInBrowser(page, "Former", uniqueEmail("former"));
  await page.goto("/agents/data-processor");
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Give instructions, steps, or both." })).toBeVisible();
  await expect(page.getByText("Paste or drop a CSV file.", { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/agents\/data-processor$/);
});

test("visitors can browse the catalog and agent pages, and are offered an account (or sign-in) to run", async ({ page }) => {
  await page.goto("/agents?category=data");
  await expect(page.getByRole("button", { name: /^data \d+$/ })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("link", { name: "Data Processor" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Security Scanner" })).toHaveCount(0);
  await page.getByRole("link", { name: "Data Processor" }).click();
  await expect(page.getByRole("main").getByRole("link", { name: "Create an account" })).toBeVisible();
  await page.getByText("Input JSON Schema").click();
  await expect(page.getByText('"csv"').first()).toBeVisible();
});

test("Report Generator on its sample CSV draws a chart from exact aggregates", async ({ page }) => {
  await signUpInBrowser(page, "Analyst", uniqueEmail("analyst"));
  await page.goto("/agents/report-generator");
  await page.getByRole("button", { name: "Use example" }).click();
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(page.getByRole("img", { name: "sum revenue by region" })).toBeVisible();
  await expect(page.getByTestId("chart").locator("rect")).toHaveCount(2);
  await expect(page.getByText("Highest revenue: US (56,200)")).toBeVisible(); // 18500 + 17900 + 19800
  // The report's markdown table is a table in its own keyboard-reachable scroll box, not raw "| --- |" text; the title shows once.
  const table = page.getByRole("region", { name: "Table: region, count, sum_revenue, avg_revenue, sum_orders, avg_orders" });
  await expect(table.getByRole("columnheader", { name: "sum_revenue" })).toBeVisible();
  await expect(table.getByRole("row", { name: /US 3 56,200/ })).toBeVisible();
  await expect(table).toHaveAttribute("tabindex", "0");
  await expect(page.getByText("| --- |").filter({ visible: true })).toHaveCount(0);
  await expect(page.getByText("How does revenue compare between regions, and how is it trending?", { exact: true }).filter({ visible: true })).toHaveCount(1);
});
