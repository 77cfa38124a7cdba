import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { linkFromMail } from "./mail";

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@e2e.agora.dev`;

/** Signs up through the browser form, waits to land on the welcome page and (unless `verify: false`) verifies the e-mail, ending in the new workspace. */
export async function signUpInBrowser(page: Page, name: string, email: string, password = "e2e password 123", { verify = true } = {}) {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome to Agora, ${name}`);
  if (verify) await verifyEmailInBrowser(page, email);
}

/** Follows the verification link mailed to `email` and confirms it; the workspace then has its starting credit. */
export async function verifyEmailInBrowser(page: Page, email: string) {
  await page.goto(await linkFromMail(email, /Verify your e-mail/));
  await page.getByRole("button", { name: "Verify my e-mail" }).click();
  await expect(page.getByText("Your e-mail is verified.")).toBeVisible();
  await page.goto("/workspace");
}

export async function signInInBrowser(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOutInBrowser(page: Page) {
  await page.getByLabel("Account menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}
