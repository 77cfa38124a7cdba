import { expect, test } from "@playwright/test";
import { loadHydrated } from "./helpers";

// Issue 20: the agent page's Versions section (per-version stats and their
// chart) and its trust label, at a phone's width and a desktop's.

for (const viewport of [{ width: 375, height: 812 }, { width: 1280, height: 900 }]) {
  test(`at ${viewport.width} px the agent page shows its versions with their stats and its trust label`, async ({ browser }) => {
    const page = await (await browser.newContext({ viewport })).newPage();
    await loadHydrated(page, "/agents/security-scanner");
    const main = page.getByRole("main");

    const versions = main.getByTestId("versions-section");
    await expect(main.getByRole("heading", { name: "Versions" })).toBeVisible();
    await expect(versions.getByTestId("version-row").first()).toBeVisible();
    await expect(versions.getByTestId("version-row").first()).toContainText(/\d+\.\d+\.\d+/);
    const api = (await (await page.request.get("/api/v1/agents/security-scanner/versions")).json()) as { versions: unknown[] };
    await expect(versions.getByTestId("version-row")).toHaveCount(api.versions.length);

    // A fresh database has no settled runs: "new", never 0 or 100 %.
    const trust = main.getByTestId("trust-label");
    await expect(trust).toBeVisible();
    await expect(trust).toHaveText(/^(New — not enough runs yet|Trust \d+ % \(\d+–\d+ %\))$/);

    // Nothing wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
}
