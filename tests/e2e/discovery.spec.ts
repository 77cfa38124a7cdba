import { expect, test, type Page } from "@playwright/test";
import { loadHydrated, signUpInBrowser, uniqueEmail } from "./helpers";

// Discovery (issue 20 item 6): every search result says why it ranks where it does,
// "accepts my data" chips narrow the catalog to packages whose input takes that kind,
// and a signed-in workspace sees recommendations above the grid while not searching.

const chip = (page: Page, name: string) => page.getByRole("group", { name: "Accepts my data" }).getByRole("button", { name: new RegExp(`^${name} \\d+$`) });

test("a search result explains its rank, from the keyboard", async ({ page }) => {
  await loadHydrated(page, "/agents?q=csv");
  const why = page.getByTestId("why-this-result").first();
  await expect(why).toBeVisible();
  const summary = why.getByText("Why this result");
  await summary.focus();
  await page.keyboard.press("Enter");
  await expect(why.getByText(/^Matches 'csv' in .+; (trust \d+ % over \d+ workspaces?|new, so trust counts as neutral); (median price|base fee) \$/)).toBeVisible();
  await expect(why.getByText(/^Score \d+ = 60 % text \d+ \+ 30 % trust \d+ \+ 10 % price \d+$/)).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(why.getByText(/^Score/)).toBeHidden();
});

test("the accepts-my-data chips narrow the catalog to what takes that kind of data, and add up", async ({ page }) => {
  await loadHydrated(page, "/agents");
  await expect(page.getByRole("main").getByRole("link", { name: "Security Scanner" })).toBeVisible();
  const csvCount = Number(await chip(page, "CSV").getByTestId("chip-count").textContent());
  await chip(page, "CSV").click();
  await expect(page).toHaveURL(/[?&]accepts=csv(&|$)/);
  await expect(chip(page, "CSV")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("main").getByRole("link", { name: "Data Processor" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Security Scanner" })).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("heading", { level: 2 })).toHaveCount(csvCount);

  // A second kind: packages that take both.
  await chip(page, "Plain text").click();
  await expect(page).toHaveURL(/[?&]accepts=csv%2Ctext(&|$)|[?&]accepts=csv,text(&|$)/);
  await expect(page.getByRole("main").getByRole("link", { name: "Data Processor" })).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/agents$/);
});

test.describe("signed in, on a phone", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("recommendations sit above the grid with their reasons, and leave while searching", async ({ page }) => {
    await signUpInBrowser(page, "Discoverer", uniqueEmail("discover"));
    await loadHydrated(page, "/agents");
    const row = page.getByTestId("recommendations");
    await expect(row.getByRole("heading", { name: "Recommended for your workspace" })).toBeVisible();
    // A fresh workspace has no history: the new-and-rising slot (and popular packages, once there are runs).
    await expect(row.getByRole("listitem").first()).toBeVisible();
    await expect(row.getByText(/^(New|New and rising|Popular|Used by)\b/).first()).toBeVisible();
    const box = await row.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(375);

    await page.getByLabel("Search agents").fill("csv");
    await expect(page).toHaveURL(/[?&]q=csv/);
    await expect(row).toHaveCount(0);
    await expect(page.getByTestId("why-this-result").first()).toBeVisible();
  });
});
