import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { loadHydrated, newProviderInBrowser, runJobNow, signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// The market end to end (issue 19's first acceptance test), each person in their own
// browser: a new user becomes a provider and publishes a hosted package (the editor's
// example, priced $0.90); the admin approves it; a consumer in another workspace finds
// it in the catalog, runs it on the offline model and is charged; the provider's
// dashboard shows the pending share (80 %: $0.72); the test clock passes 7 days; the
// provider sets up payouts through (fake) Stripe Connect; the admin runs maturation and
// the weekly payout job now; the provider sees the payout paid, naming that run.

const WEEK_MS = 7 * 86_400_000;

/** The dashboard's balance under `label` (Pending, Matured, In a payout, Paid). */
const balance = (page: Page, label: string) => page.getByTestId("earnings-balances").locator("div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd");
const ZERO = /^\$0(\.0+)?$/;

test("a provider publishes, a consumer pays, the 80 % share matures after 7 days and the weekly payout sends it, linked to the run", async ({ browser }) => {
  test.setTimeout(240_000);
  const tag = randomUUID().slice(0, 8);
  const providerSlug = `e2e-market-${tag}`;
  const packageSlug = `e2e-summary-${tag}`;
  const packageName = `CSV summary ${tag}`;

  // The provider: a profile, then the example package at $0.90, validated and submitted.
  const provider = await (await browser.newContext()).newPage();
  await newProviderInBrowser(provider, `Market ${tag}`, providerSlug);
  await provider.getByRole("link", { name: "Create package" }).click();
  await provider.getByRole("button", { name: "Load example" }).click();
  await provider.getByLabel("Slug").fill(packageSlug);
  await provider.getByLabel("Name").fill(packageName);
  await provider.getByLabel("Base fee per run (USD)").fill("0.90");
  await provider.getByRole("button", { name: "Create draft" }).click();
  await expect(provider).toHaveURL(new RegExp(`/provider/packages/${packageSlug}/1\\.0\\.0$`));
  await provider.getByRole("button", { name: "Validate" }).click();
  await expect(provider.getByText("validated", { exact: true })).toBeVisible();
  await provider.getByRole("button", { name: "Submit for review" }).click();
  await expect(provider.getByText("in review", { exact: true })).toBeVisible();

  // The admin approves it.
  const admin = await (await browser.newContext()).newPage();
  await signInInBrowser(admin, "admin@agora.dev", "agora-admin");
  await expect(admin.getByLabel("Account menu")).toBeVisible();
  await loadHydrated(admin, "/admin/reviews");
  await admin.getByTestId("review-item").filter({ hasText: packageSlug }).first().getByRole("button", { name: `Approve ${packageSlug} 1.0.0` }).click();
  await expect(admin.getByTestId("review-item").filter({ hasText: packageSlug })).toHaveCount(0);

  // A consumer in another workspace finds it in the catalog, runs its example and is charged $0.90 of their $1.
  const consumer = await (await browser.newContext()).newPage();
  await signUpInBrowser(consumer, "Market Buyer", uniqueEmail("market-buyer"));
  await expect(consumer.getByTestId("balance")).toHaveText("Available credits: $1");
  await loadHydrated(consumer, `/agents?provider=${providerSlug}`);
  await consumer.getByRole("main").getByRole("link", { name: packageName }).click();
  await expect(consumer.getByRole("heading", { level: 1, name: packageName })).toBeVisible();
  await expect(consumer.getByRole("main").getByTestId("published-by")).toContainText(`Market ${tag}`);
  await consumer.getByRole("button", { name: "Use example" }).click();
  await consumer.getByRole("button", { name: "Run agent" }).click();
  await expect(consumer).toHaveURL(/\/runs\/[a-z0-9]+$/);
  const runId = consumer.url().split("/").pop()!;
  await expect(consumer.getByTestId("run-status")).toHaveText("succeeded");
  await expect(consumer.getByTestId("balance")).toHaveText(/^Available credits: \$0\.10?$/);

  // The provider's dashboard: the run (never its input or output) and the pending 80 %.
  await loadHydrated(provider, "/provider");
  await expect(provider.getByTestId("provider-runs").getByRole("row").filter({ hasText: runId.slice(0, 10) })).toContainText("$0.90");
  await expect(balance(provider, "Pending")).toHaveText("$0.72");
  await expect(balance(provider, "Matured")).toHaveText(ZERO);
  await expect(provider.getByText("city,visits")).toHaveCount(0);

  // Seven days pass; the provider sets up payouts with Stripe.
  expect((await admin.request.post("/api/test/clock", { data: { advanceMs: WEEK_MS + 60_000 } })).status()).toBe(200);
  await provider.getByRole("button", { name: "Set up payouts" }).click();
  await expect(provider.getByRole("heading", { name: "Fake Express onboarding" })).toBeVisible();
  await provider.getByRole("button", { name: "Finish onboarding" }).click();
  await expect(provider).toHaveURL(/\/provider/);
  await expect(provider.getByTestId("connect-status")).toContainText("Payouts active");

  // The share matures; the weekly payout job sends it to Stripe.
  await runJobNow(admin, "earnings.mature");
  await expect(async () => {
    await provider.reload();
    await expect(balance(provider, "Matured")).toHaveText("$0.72", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await runJobNow(admin, "payouts.weekly");
  await expect(async () => {
    await provider.reload();
    await expect(provider.getByTestId("payouts").getByRole("listitem").first()).toContainText("Paid", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  const payout = provider.getByTestId("payouts").getByRole("listitem").first();
  await expect(payout).toContainText("$0.72");
  await payout.getByText("1 run").click();
  await expect(payout.getByRole("link", { name: `${runId.slice(0, 10)}…` })).toHaveAttribute("href", `#run-${runId}`);
  await expect(balance(provider, "Paid")).toHaveText("$0.72");
  await expect(balance(provider, "Matured")).toHaveText(ZERO);
});
