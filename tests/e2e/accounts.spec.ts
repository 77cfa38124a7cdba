import { expect, test } from "@playwright/test";
import { signInInBrowser, signOutInBrowser, signUpInBrowser, uniqueEmail, verifyEmailInBrowser } from "./helpers";
import { linkFromMail } from "./mail";

test("the landing page explains the product and links to sign-up", async ({ page }) => {
  const res = await page.goto("/");
  expect(res?.status()).toBe(200);
  expect(res?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(res?.headers()["x-content-type-options"]).toBe("nosniff");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Run AI agents");
  await page.getByRole("link", { name: "Create a free account" }).click();
  await expect(page).toHaveURL(/\/signup$/);
});

test("the seeded demo member signs in to the Demo workspace and signs out", async ({ page }) => {
  await signInInBrowser(page, "demo@agora.dev", "agora-demo");
  await expect(page).toHaveURL(/\/workspace$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Demo");
  await signOutInBrowser(page);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fkeys/);
});

test("a new account has no credit until the mailed link verifies its e-mail; then $1", async ({ page }) => {
  const email = uniqueEmail("verify");
  await signUpInBrowser(page, "Vera", email, undefined, { verify: false });
  await expect(page.getByTestId("verify-email")).toContainText("Verify your e-mail to receive your $1 starting credit");
  await expect(page.getByTestId("balance")).toHaveText(/\$0$/);
  await verifyEmailInBrowser(page, email);
  await expect(page.getByTestId("balance")).toHaveText(/\$1$/);
  await expect(page.getByTestId("verify-email")).toHaveCount(0);
});

test("sign-up shows field errors; a wrong password shows a clear error", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Short");
  await page.getByLabel("Email").fill(uniqueEmail("short"));
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();

  await signInInBrowser(page, "demo@agora.dev", "not the password");
  await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password.");
  // GITHUB_ID/GITHUB_SECRET are unset for this server: no GitHub button.
  await expect(page.getByRole("button", { name: "Continue with GitHub" })).toHaveCount(0);
});

test("API errors are JSON with the right status, never 500", async ({ request }) => {
  const email = uniqueEmail("api");
  expect((await request.post("/api/v1/auth/signup", { data: { email, password: "long enough 1", name: "A" } })).status()).toBe(201);
  const taken = await request.post("/api/v1/auth/signup", { data: { email, password: "long enough 1", name: "A" } });
  expect(taken.status()).toBe(409);
  const short = await request.post("/api/v1/auth/signup", { data: { email: uniqueEmail("b"), password: "x", name: "A" } });
  expect(short.status()).toBe(400);
  expect((await short.json()).error.details.issues[0].path).toBe("password");
  const malformed = await request.post("/api/v1/auth/signup", { headers: { "content-type": "application/json" }, data: '{"email":' });
  expect(malformed.status()).toBe(400);
  const huge = await request.post("/api/v1/auth/signup", { data: { email: uniqueEmail("c"), password: "p".repeat(2_000_000), name: "A" } });
  expect(huge.status()).toBe(413);
  expect((await request.get("/api/v1/me")).status()).toBe(401);
  const ready = await request.get("/api/health/ready");
  expect(await ready.json()).toMatchObject({ status: "ready", migrations: { pending: [] } });
});

test("forms never put a password in the URL, even before the page's script runs", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const path of ["/signin", "/signup"]) {
    await page.goto(path);
    await page.getByLabel("Email").fill("nojs@e2e.agora.dev");
    await page.getByLabel("Password").fill("secret-in-url?");
    await page.locator("form").getByRole("button").click();
    await page.waitForLoadState();
    expect(page.url()).not.toContain("secret-in-url");
  }
  await context.close();
});

test("password reset by mailed link; a browser signed in before is signed out, and the link works once", async ({ browser, page }) => {
  const email = uniqueEmail("reset");
  const before = await browser.newContext();
  const beforePage = await before.newPage();
  await signUpInBrowser(beforePage, "Rita", email);

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Mail me a reset link" }).click();
  await expect(page.getByText(/If an account uses this e-mail, we have sent it a link/)).toBeVisible();

  const link = await linkFromMail(email, /Reset your Agora password/);
  await page.goto(link);
  await page.getByLabel("New password").fill("my reset password 1");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Your new password is set and every session of your account has ended. Sign in with it.")).toBeVisible();
  await signInInBrowser(page, email, "my reset password 1");
  await expect(page).toHaveURL(/\/workspace$/);

  await beforePage.reload();
  await expect(beforePage).toHaveURL(/\/signin\?callbackUrl=%2Fworkspace/);
  await before.close();

  await page.goto(link);
  await page.getByLabel("New password").fill("another password 2");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("This link has expired or was already used.");
  await page.getByRole("link", { name: "Ask for a new link" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
});

test("the account page changes the password (the current one required) and signs out everywhere", async ({ page }) => {
  const email = uniqueEmail("change");
  await signUpInBrowser(page, "Chad", email);
  await page.getByLabel("Account menu").click();
  await page.getByRole("link", { name: "Account and password" }).click();
  await expect(page).toHaveURL(/\/account$/);

  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password").fill("a changed password 1");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your current password is not right.")).toBeVisible();

  await page.getByLabel("Current password").fill("e2e password 123");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password is changed and every session of your account has ended.")).toBeVisible();
  await signInInBrowser(page, email, "a changed password 1");
  await expect(page).toHaveURL(/\/workspace$/);

  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByText("You are signed out on every device.")).toBeVisible();
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fkeys/);
});
