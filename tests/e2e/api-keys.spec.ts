import { expect, test } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";

test("a new user signs up, creates an API key that authenticates /api/v1/me, and revokes it", async ({ page, request }) => {
  const email = uniqueEmail("keys");
  await signUpInBrowser(page, "Kim", email);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys" }).click();
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await page.getByLabel("Key name").fill("CI pipeline");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(secret).toMatch(/^agora_live_[0-9A-Za-z]{40}$/);
  const row = page.getByTestId("api-key-row").filter({ hasText: "CI pipeline" });
  await expect(row).toContainText(secret.slice(0, 19));
  await expect(row).not.toContainText(secret);

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  const body = await me.json();
  expect(body.principal.type).toBe("api_key");
  expect(body.workspace.name).toBe("Kim's workspace");
  expect(body.tier.code).toBe("free");

  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke CI pipeline" }).click();
  await expect(row.getByText("Revoked")).toBeVisible();

  const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("unauthenticated");
});

test("the secret is shown once: after a reload only the prefix remains", async ({ page }) => {
  await signUpInBrowser(page, "Once", uniqueEmail("once"));
  await page.goto("/keys");
  await page.getByLabel("Key name").fill("one-time");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-api-key").textContent())!.trim();
  await page.reload();
  await expect(page.getByTestId("api-key-row")).toHaveCount(1);
  await expect(page.locator("body")).not.toContainText(secret);
});
