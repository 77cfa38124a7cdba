import { expect, test } from "@playwright/test";
import { loadHydrated } from "./helpers";

// /docs/api: the API description rendered by the server, for a visitor (no sign-in), reached from the
// footer, navigable by keyboard through its contents list, and readable at phone width.

test("a visitor finds the API reference from the footer and reads POST /api/v1/runs with its permission and a curl example", async ({ page }) => {
  await loadHydrated(page, "/");
  await page.getByRole("contentinfo").getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();

  const run = page.locator("article#postRuns");
  await expect(run.getByRole("heading", { name: /POST\s*\/api\/v1\/runs$/ })).toBeVisible();
  await expect(run).toContainText("Start a run of an agent");
  await expect(run).toContainText("Permission: runs.create");
  await expect(run.locator("pre").last()).toContainText('curl -X POST "$AGORA_URL/api/v1/runs"');
  await expect(run.locator("pre").last()).toContainText('"agent":"string"');
  await run.getByText(/^201 — Created\./).click();
  await expect(run.getByRole("link", { name: '"#/components/schemas/Run"' })).toBeVisible();

  // The description it renders is the one the API serves.
  const served = await page.request.get("/api/v1/openapi.json");
  expect(served.status()).toBe(200);
  expect(((await served.json()) as { openapi: string }).openapi).toBe("3.1.0");
});

test("the contents list is reachable by keyboard and its links jump to their section; nothing overflows a phone's width", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await loadHydrated(page, "/docs/api");
  const contents = page.getByRole("navigation", { name: "Contents" });
  const runsLink = contents.getByRole("link", { name: "runs", exact: true });
  await runsLink.focus();
  await expect(runsLink).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#tag-runs$/);
  await expect(page.getByRole("heading", { level: 2, name: "runs", exact: true })).toBeInViewport();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
