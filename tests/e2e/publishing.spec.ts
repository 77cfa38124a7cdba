import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { loadHydrated, newProviderInBrowser, signInInBrowser } from "./helpers";

// Publishing (issue 19 item 4) through the pages: a new provider on a phone writes a
// hosted package's manifest (a refused schema is named under its field), validates
// and submits it; the admin approves it in /admin/reviews on a desktop; the catalog
// then lists it with the provider's byline, and the provider sees it published.

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test("a provider publishes a hosted package through the pages; the admin approves it; the catalog lists it with the byline", async ({ browser }) => {
  const tag = randomUUID().slice(0, 8);
  const providerSlug = `e2e-pub-${tag}`;
  const packageSlug = `e2e-csv-${tag}`;
  const packageName = `CSV notes ${tag}`;

  const provider = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await newProviderInBrowser(provider, `Publisher ${tag}`, providerSlug);
  await expect(provider.getByText("No packages yet")).toBeVisible();

  await provider.getByRole("link", { name: "Create package" }).click();
  await expect(provider).toHaveURL(/\/provider\/packages\/new$/);
  await provider.getByRole("button", { name: "Load example" }).click();
  await provider.getByLabel("Slug").fill(packageSlug);
  await provider.getByLabel("Name").fill(packageName);
  // A regular expression in the input schema is refused, named under the field, which gets the focus.
  const inputSchema = provider.getByLabel("Input schema (JSON Schema)");
  await inputSchema.fill(JSON.stringify({ type: "object", properties: { csv: { type: "string", pattern: "^(a+)+$" } }, required: ["csv"] }));
  await provider.getByRole("button", { name: "Create draft" }).click();
  await expect(inputSchema).toHaveAttribute("aria-invalid", "true");
  await expect(inputSchema).toBeFocused();
  await expect(provider.getByText("inputSchema.properties.csv.pattern:", { exact: false }).first()).toBeVisible();
  expect(await noHorizontalScroll(provider)).toBe(true);

  await inputSchema.fill(JSON.stringify({ type: "object", properties: { csv: { type: "string", minLength: 1 } }, required: ["csv"] }));
  await provider.getByRole("button", { name: "Create draft" }).click();
  await expect(provider).toHaveURL(new RegExp(`/provider/packages/${packageSlug}/1\\.0\\.0$`));
  await expect(provider.getByText("draft", { exact: true })).toBeVisible();
  await provider.getByRole("button", { name: "Validate" }).click();
  await expect(provider.getByText("validated", { exact: true })).toBeVisible();
  await provider.getByRole("button", { name: "Submit for review" }).click();
  await expect(provider.getByText("in review", { exact: true })).toBeVisible();
  await expect(provider.getByRole("button", { name: "Save draft" })).toHaveCount(0);
  expect(await noHorizontalScroll(provider)).toBe(true);

  // Not in the catalog before the review.
  expect((await provider.request.get(`/api/v1/agents/${packageSlug}`)).status()).toBe(404);

  const admin = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signInInBrowser(admin, "admin@agora.dev", "agora-admin");
  await expect(admin.getByLabel("Account menu")).toBeVisible();
  await loadHydrated(admin, "/admin/reviews");
  const item = admin.getByTestId("review-item").filter({ hasText: packageSlug }).first();
  await expect(item).toBeVisible();
  await item.getByText("View manifest").click();
  await expect(item.getByText('"profile_csv"', { exact: false }).first()).toBeVisible();
  await item.getByRole("button", { name: `Approve ${packageSlug} 1.0.0` }).click();
  await expect(admin.getByTestId("review-item").filter({ hasText: packageSlug })).toHaveCount(0);

  // A visitor finds it in the catalog, published by the provider.
  const visitor = await (await browser.newContext()).newPage();
  await loadHydrated(visitor, `/agents?provider=${providerSlug}`);
  const main = visitor.getByRole("main");
  await expect(main.getByRole("link", { name: packageName })).toBeVisible();
  await expect(main.getByTestId("published-by").first()).toContainText(`Publisher ${tag}`);
  await main.getByRole("link", { name: packageName }).click();
  await expect(visitor).toHaveURL(new RegExp(`/agents/${packageSlug}$`));
  await expect(visitor.getByRole("main").getByTestId("published-by")).toContainText(`Publisher ${tag}`);

  await loadHydrated(provider, "/provider");
  await expect(provider.getByRole("link", { name: `${packageSlug} 1.0.0: published` })).toBeVisible();
});
