import { expect, test } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// Run forms read like the schema, and the price is asked for only once the form is valid.

const agents = ["security-scanner", "data-processor", "report-generator", "knowledge-base", "ticket-resolver", "incident-responder", "escalation-manager", "deployment-agent", "audit-agent", "workflow-orchestrator"];

test("no agent page asks for a quote of its blank form; a filled-in form is priced", async ({ page }) => {
  const quotes: number[] = [];
  page.on("response", (res) => {
    if (res.url().endsWith("/api/v1/runs/quote")) quotes.push(res.status());
  });
  await signUpInBrowser(page, "Former", uniqueEmail("form-order"));
  for (const slug of agents) {
    await page.goto(`/agents/${slug}`);
    await expect(page.getByText("Fill in the required fields to see the price.")).toBeVisible();
  }
  expect(quotes).toEqual([]);

  await page.goto("/agents/ticket-resolver");
  const subject = page.getByLabel("Subject", { exact: true });
  await subject.fill("Refund for a double charge");
  await subject.press("Tab"); // the next field in the schema's order
  await expect(page.getByLabel("Body", { exact: true })).toBeFocused();
  await page.keyboard.type("I was charged twice for my March invoice.");
  await expect(page.getByTestId("run-quote")).toContainText("Expected price");
  await expect(page.getByRole("group", { name: "Customer (optional)" })).toBeVisible();
  expect(quotes.length).toBeGreaterThan(0);
  expect(quotes.every((s) => s === 200)).toBe(true);
});

test("at phone width, enums are selects and checkboxes with their defaults, nested objects are labelled groups", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpInBrowser(page, "Phoner", uniqueEmail("form-phone"));
  await page.goto("/agents/audit-agent");
  await expect(page.getByRole("group", { name: "Controls (optional)" }).getByRole("checkbox")).toHaveCount(5);
  await expect(page.getByLabel("Maximum key age (days) (optional)")).toHaveValue("90");
  const hours = page.getByRole("group", { name: "Business hours (optional)" });
  await expect(hours.getByLabel("Start")).toHaveValue("8");
  await expect(hours.getByLabel("End")).toHaveValue("19");
  await page.getByLabel("Events").fill('{"type":"signin","actor":"ann","at":"2026-01-05T10:00:00Z"}');
  await expect(page.getByTestId("run-quote")).toContainText("Expected price");
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  await page.goto("/agents/deployment-agent");
  await expect(page.getByLabel("Environment (optional)")).toHaveValue("production");
  await expect(page.getByText("Default: production.")).toBeVisible();
});
