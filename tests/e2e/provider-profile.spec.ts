import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { loadHydrated, signUpInBrowser, uniqueEmail } from "./helpers";

// Providers (issue 19): a new user becomes a provider from /provider on a phone-sized
// screen with the keyboard (a refused field gets the focus and says why), uploads a
// logo, opens the public page; the built-in agents name the verified "Agora" provider,
// whose page lists them and whose name filters the catalog.

const PNG_1PX = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test("a new user creates a provider profile at 390 px with the keyboard, opens its public page, and sees Agora on an agent page", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpInBrowser(page, "Provider Person", uniqueEmail("provider"), undefined, { verify: false });

  await loadHydrated(page, "/provider");
  await expect(page.getByRole("heading", { name: "Become a provider" })).toBeVisible();
  const slug = `e2e-${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Public name").fill("Acme Agents");
  await page.keyboard.press("Tab");
  await page.keyboard.type(slug);
  await page.getByLabel("Description (markdown)").fill("We publish **careful** agents.");
  await page.getByLabel("Support URL").fill("http://acme.example/help");
  await page.getByLabel("Support URL").press("Enter"); // submits the form
  const supportUrl = page.getByLabel("Support URL");
  await expect(supportUrl).toHaveAttribute("aria-invalid", "true");
  await expect(supportUrl).toBeFocused();
  await expect(page.getByText("Support URL: enter an https:// address", { exact: false }).first()).toBeVisible();
  expect(await noHorizontalScroll(page)).toBe(true);

  await supportUrl.fill("https://acme.example/help");
  await supportUrl.press("Enter");
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Provider profile" })).toBeVisible();

  await page.getByLabel("Image file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG_1PX });
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByRole("img", { name: "Acme Agents logo" })).toBeVisible();

  await page.getByTestId("provider-public-link").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/providers/${slug}$`));
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { level: 1 })).toHaveText("Acme Agents");
  await expect(main.getByText("careful").first()).toBeVisible();
  await expect(main.getByRole("link", { name: "https://acme.example/help" })).toBeVisible();
  await expect(main.getByText("No published agents yet")).toBeVisible();
  await expect(main.getByText("Verified")).toHaveCount(0);
  const logo = main.getByRole("img", { name: "Acme Agents logo" });
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  expect(await noHorizontalScroll(page)).toBe(true);
  expect((await page.request.get(`/providers/no-such-provider-${randomUUID().slice(0, 8)}`)).status()).toBe(404);

  // The built-ins are published by the verified Agora provider.
  await loadHydrated(page, "/agents/security-scanner");
  const byline = page.getByRole("main").getByTestId("published-by");
  await expect(byline).toContainText("by Agora");
  await expect(byline.getByText("Verified")).toBeVisible();
  await byline.getByRole("link", { name: "Agora" }).click();
  await expect(page).toHaveURL(/\/providers\/agora$/);
  await expect(page.getByRole("main").getByRole("link", { name: "Security Scanner" })).toBeVisible();

  await loadHydrated(page, "/agents?provider=agora");
  await expect(page.getByTestId("provider-filter")).toContainText("Published by Agora");
  await expect(page.getByRole("main").getByTestId("published-by").first()).toContainText("by Agora");
});
