import AxeBuilder from "@axe-core/playwright";
import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { EXAMPLE_MANIFEST } from "../../lib/packages/example-manifest";
import { loadHydrated, newProviderInBrowser, publish, runJobNow, signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// Issue 21's end-to-end acceptance test: a buyer with credits posts work with a $5 budget and an
// output schema; two providers' hosted packages bid by their bid policies (the exchange.bids job);
// the buyer sees both ranked with their score breakdowns and awards the $3 one; the delivery run
// executes on the offline model, the checks pass, the buyer accepts; the buyer's wallet shows the
// charge of exactly the bid (the rest of the $5 hold released) and the provider's earnings the bid
// minus the platform's 20 % fee, pending. Then one pass over /exchange and the work at 375 px.

const phone = { width: 375, height: 812 };

/** A provider with one published hosted package (the editor's example) that bids `priceMicros` on work tagged `capability`. */
async function biddingProvider(browser: Browser, admin: Page, name: string, tag: string, capability: string, priceMicros: number) {
  const page = await (await browser.newContext()).newPage();
  await newProviderInBrowser(page, name, `e2e-bidder-${tag}`);
  await publish(page, admin, {
    ...structuredClone(EXAMPLE_MANIFEST),
    slug: `e2e-bidder-pkg-${tag}`,
    name: `${name} CSV`,
    capabilities: ["csv", capability],
    bidPolicy: { capabilities: [capability], price: { baseMicros: priceMicros }, promisedMinutes: 10, note: `${name} delivers fast` },
  });
  return page;
}

/** A datetime-local value `ms` after the server's (test) clock, in the browser's zone. */
async function localAfterServerNow(admin: Page, page: Page, ms: number) {
  const res = await admin.request.post("/api/test/clock", { data: { advanceMs: 0 } });
  expect(res.status()).toBe(200);
  const at = new Date((await res.json()).now as string).getTime() + ms;
  return page.evaluate((t) => {
    const d = new Date(t);
    return new Date(t - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }, at);
}

/** Nothing wider than the window, and no serious or critical axe finding. */
async function expectPhoneFriendly(page: Page) {
  await expect(page.getByText(/^Loading .*…$/)).toHaveCount(0);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, page.url()).toBeLessThanOrEqual(innerWidth);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes[0]?.target.join(" ")}`)).toEqual([]);
}

test("a buyer posts $5 work, two packages bid by policy, the buyer awards the $3 bid, the run's delivery passes and is accepted: charged $3, provider $2.40 pending", async ({ browser }) => {
  test.setTimeout(300_000);
  const tag = randomUUID().slice(0, 8);
  const capability = `e2e-${tag}`;

  const admin = await (await browser.newContext()).newPage();
  await signInInBrowser(admin, "admin@agora.dev", "agora-admin");
  await expect(admin.getByLabel("Account menu")).toBeVisible();
  const cheap = await biddingProvider(browser, admin, `Cheap ${tag}`, `a${tag}`, capability, 3_000_000);
  await biddingProvider(browser, admin, `Dear ${tag}`, `b${tag}`, capability, 4_000_000);

  // The buyer: $1 on sign-up plus a $10 grant.
  const buyerName = `Exchange buyer ${tag}`;
  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  await signUpInBrowser(buyer, buyerName, uniqueEmail("exchange-buyer"));
  const found = await admin.request.get(`/api/v1/admin/workspaces?q=${encodeURIComponent(buyerName)}`);
  const workspaceId = ((await found.json()) as { data: { id: string }[] }).data[0]!.id;
  const granted = await admin.request.post(`/api/v1/admin/workspaces/${workspaceId}/credits`, {
    data: { direction: "grant", amountMicros: 10_000_000, reason: "Credits for the exchange test" },
    headers: { "idempotency-key": `e2e-exchange-${tag}` },
  });
  expect(granted.status(), await granted.text()).toBeLessThan(300);

  // The posting form: a $5 budget, an output schema and a range check; the escrow and the balance shown.
  await loadHydrated(buyer, "/exchange/new");
  await buyer.getByLabel("Title", { exact: true }).fill(`Profile my CSV ${tag}`);
  await buyer.getByLabel("Description (markdown)", { exact: true }).fill("Profile **every** column of the file.");
  await buyer.getByLabel("Input (JSON)", { exact: true }).fill("{ not json");
  await expect(buyer.getByText(/^Not valid JSON/)).toBeVisible();
  await buyer.getByLabel("Input (JSON)", { exact: true }).fill(JSON.stringify(EXAMPLE_MANIFEST.exampleInput));
  await buyer.getByLabel("Capabilities (comma-separated)", { exact: true }).fill(capability);
  await buyer.getByLabel("Output schema (JSON Schema)", { exact: true }).fill(JSON.stringify(EXAMPLE_MANIFEST.outputSchema));
  await buyer.getByRole("button", { name: "Add check" }).click();
  const check = buyer.getByTestId("check-row").first();
  await check.getByLabel("Check 1", { exact: true }).selectOption("range");
  await check.getByLabel("Field", { exact: true }).fill("/rows");
  await check.getByLabel("Minimum", { exact: true }).fill("1");
  await buyer.getByLabel("Budget (USD)", { exact: true }).fill("5");
  await buyer.getByLabel("Bids close", { exact: true }).fill(await localAfterServerNow(admin, buyer, 2 * 3_600_000));
  await buyer.getByLabel("Delivery due", { exact: true }).fill(await localAfterServerNow(admin, buyer, 26 * 3_600_000));
  await expect(buyer.getByTestId("escrow-summary")).toContainText("$5");
  await expect(buyer.getByTestId("escrow-summary")).toContainText("$11");
  await buyer.getByRole("button", { name: /^Post work and hold/ }).click();
  await expect(buyer).toHaveURL(/\/exchange\/(?!new$)[a-z0-9]+$/);
  const workUrl = new URL(buyer.url()).pathname;
  await expect(buyer.getByTestId("work-status")).toHaveText("open");
  await expect(buyer.getByTestId("balance")).toHaveText("Available credits: $6");
  await expect(buyer.getByTestId("acceptance")).toContainText('"/rows" is a number of at least 1');

  // The packages bid by their policies; the buyer's page shows both, ranked, with their breakdowns.
  await runJobNow(admin, "exchange.bids");
  const bids = buyer.getByTestId("bid");
  await expect(bids).toHaveCount(2, { timeout: 60_000 });
  for (const bid of await bids.all()) {
    await expect(bid.getByTestId("bid-breakdown")).toContainText(/Score\s*\d\.\d\d/);
    for (const part of ["Price", "Trust", "Fit", "Time"]) await expect(bid.getByTestId("bid-breakdown")).toContainText(part);
  }
  await expect(bids.filter({ hasText: `Cheap ${tag}` }).getByTestId("bid-price")).toHaveText("$3");
  await expect(bids.filter({ hasText: `Dear ${tag}` }).getByTestId("bid-price")).toHaveText("$4");

  // Award the $3 bid: the hold shrinks to $3, the rest of the budget is released at once.
  buyer.once("dialog", (d) => void d.accept());
  await bids.filter({ hasText: `Cheap ${tag}` }).getByRole("button", { name: /^Award/ }).click();
  await expect(buyer.getByTestId("work-status")).toHaveText(/awarded|delivered/);
  await expect(buyer.getByTestId("contract-price")).toHaveText("$3");
  await expect(buyer.getByTestId("balance")).toHaveText("Available credits: $8");

  // The delivery run executes on the offline model; its checks pass.
  await runJobNow(admin, "exchange.contracts");
  await expect(buyer.getByTestId("work-status")).toHaveText("delivered", { timeout: 90_000 });
  const delivery = buyer.getByTestId("delivery").first();
  await expect(delivery.getByTestId("delivery-verdict")).toHaveText("passed");
  await expect(delivery.getByRole("link", { name: /^by run / })).toHaveAttribute("href", /^\/runs\/[a-z0-9]+$/);
  await expect(delivery.getByTestId("delivery-checks")).toContainText("Passed");

  // Accepted: settled, charged the bid.
  await buyer.getByRole("button", { name: "Accept and pay" }).click();
  await expect(buyer.getByTestId("work-status")).toHaveText("settled");
  await loadHydrated(buyer, "/billing");
  await expect(buyer.getByTestId("billing-balance")).toHaveText("$8");
  await expect(buyer.getByTestId("wallet-history").getByRole("listitem").filter({ hasText: "Work escrow" })).toContainText("−$3");

  // The provider: the contract settled, its share ($3 − 20 %) pending in its earnings.
  await loadHydrated(cheap, "/provider/exchange");
  const contract = cheap.getByTestId("provider-contracts").getByRole("row").filter({ hasText: `Profile my CSV ${tag}` });
  await expect(contract).toContainText("settled");
  await expect(contract).toContainText("$2.40");
  await loadHydrated(cheap, "/provider");
  await expect(cheap.getByTestId("earnings-balances").locator("div").filter({ has: cheap.getByText("Pending", { exact: true }) }).locator("dd")).toHaveText("$2.40");

  // At a phone's width: the exchange and the work page fit and pass axe.
  const small = await (await browser.newContext({ viewport: phone, storageState: await buyerContext.storageState() })).newPage();
  await loadHydrated(small, "/exchange?scope=mine");
  await expect(small.getByTestId("work-item").filter({ hasText: `Profile my CSV ${tag}` })).toBeVisible();
  await expectPhoneFriendly(small);
  await loadHydrated(small, workUrl);
  await expect(small.getByTestId("work-status")).toHaveText("settled");
  await expectPhoneFriendly(small);
});
