import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { EXAMPLE_MANIFEST } from "../../lib/packages/example-manifest";
import { formatUsd } from "../../lib/money/format";
import { loadHydrated, newProviderInBrowser, publish, signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// Issue 20's acceptance test "Upgrade preview on three inputs produces three charged runs and a
// comparison page": a provider publishes 1.0.0 and 1.1.0 of a hosted package (through the API, the
// admin approving each); a buyer runs 1.0.0 on three inputs, then, from the agent page, tries 1.1.0
// on them: quote, three charged runs, the comparison with three rows — also at phone width — and the
// balance lower by exactly the three runs' prices.

type RunJson = { id: string; status: string; agentVersion: string; priceMicros: number };

const available = async (page: Page) => ((await (await page.request.get("/api/v1/me")).json()) as { balance: { availableMicros: number } }).balance.availableMicros;

test("Upgrade preview on three inputs produces three charged runs and a comparison page", async ({ browser }) => {
  test.setTimeout(240_000);
  const tag = randomUUID().slice(0, 8);
  const slug = `e2e-upgrade-${tag}`;
  const name = `Upgrade ${tag}`;

  // The provider publishes 1.0.0, then 1.1.0 whose output also names the first column.
  const provider = await (await browser.newContext()).newPage();
  await newProviderInBrowser(provider, `Upgrades ${tag}`, `e2e-upgrades-${tag}`);
  const admin = await (await browser.newContext()).newPage();
  await signInInBrowser(admin, "admin@agora.dev", "agora-admin");
  await expect(admin.getByLabel("Account menu")).toBeVisible();
  const base = { ...structuredClone(EXAMPLE_MANIFEST), slug, name };
  await publish(provider, admin, { ...base, version: "1.0.0" });
  const output = { ...base.hosted.offline.output, firstColumn: { $result: "/profile_csv/columns/0/name" } };
  await publish(provider, admin, { ...base, version: "1.1.0", hosted: { ...base.hosted, offline: { ...base.hosted.offline, output } } });

  // The buyer (on Pro, so its requests a minute are no limit here) runs 1.0.0 on three inputs.
  const buyerName = `Upgrade buyer ${tag}`;
  const buyer = await (await browser.newContext()).newPage();
  await signUpInBrowser(buyer, buyerName, uniqueEmail("upgrade-buyer"));
  const found = await admin.request.get(`/api/v1/admin/workspaces?q=${encodeURIComponent(buyerName)}`);
  const workspaceId = ((await found.json()) as { data: { id: string }[] }).data[0]!.id;
  expect((await admin.request.patch(`/api/v1/admin/workspaces/${workspaceId}`, { data: { tierCode: "pro" } })).status()).toBe(200);
  for (const column of ["alpha", "beta", "gamma"]) {
    const res = await buyer.request.post("/api/v1/runs", { data: { agent: `${slug}@1.0.0`, input: { csv: `${column},visits\nOslo,1\nLima,2\n` } } });
    expect(res.status(), await res.text()).toBe(201);
    const { id } = (await res.json()) as RunJson;
    await expect.poll(async () => ((await (await buyer.request.get(`/api/v1/runs/${id}`)).json()) as RunJson).status, { timeout: 30_000 }).toBe("SUCCEEDED");
  }
  const before = await available(buyer);

  // From the agent page: "Try another version", the three inputs, the quote, the preview.
  await loadHydrated(buyer, `/agents/${slug}`);
  await buyer.getByRole("link", { name: "Try another version" }).click();
  await expect(buyer).toHaveURL(new RegExp(`/agents/${slug}/upgrade$`));
  await expect(buyer.getByLabel("Your version (A)")).toHaveValue("1.0.0");
  await expect(buyer.getByLabel("Version to try (B)")).toHaveValue("1.1.0");
  const boxes = buyer.getByTestId("upgrade-candidates").getByRole("checkbox");
  await expect(boxes).toHaveCount(3);
  for (const box of await boxes.all()) await box.check();
  await buyer.getByRole("button", { name: "Get quote" }).click();
  const quote = buyer.getByTestId("upgrade-quote");
  await expect(quote).toContainText("Quote: 3 runs of");
  await expect(quote.getByRole("listitem")).toHaveCount(3);
  await buyer.getByRole("button", { name: "Run preview" }).click();

  // The comparison: three rows, each run succeeded on both versions, with the added output field.
  await expect(buyer).toHaveURL(/\/upgrade-previews\/[a-z0-9]+$/);
  const items = buyer.getByTestId("upgrade-item");
  await expect(items).toHaveCount(3);
  await expect(buyer.getByTestId("upgrade-side-status").filter({ hasText: "succeeded" })).toHaveCount(6, { timeout: 60_000 });
  await expect(buyer.getByTestId("upgrade-totals")).toContainText("3 of 3 runs succeeded");
  await items.first().getByText("Output difference: 1 change").click();
  await expect(items.first()).toContainText("/firstColumn");

  // Three charged runs of 1.1.0, and the balance lower by exactly their prices.
  const runs = ((await (await buyer.request.get(`/api/v1/runs?agent=${slug}`)).json()) as { data: RunJson[] }).data.filter((r) => r.agentVersion === "1.1.0");
  expect(runs.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
  expect(runs.every((r) => r.priceMicros > 0)).toBe(true);
  const after = await available(buyer);
  expect(after).toBe(before - runs.reduce((sum, r) => sum + r.priceMicros, 0));
  await buyer.reload();
  await expect(buyer.getByTestId("balance")).toHaveText(`Available credits: ${formatUsd(after)}`);

  // At phone width the two versions stack: nothing is wider than the window.
  await buyer.setViewportSize({ width: 375, height: 812 });
  await expect(items).toHaveCount(3);
  const { scrollWidth, innerWidth } = await buyer.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
});
