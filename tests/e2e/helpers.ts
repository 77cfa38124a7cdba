import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { EXAMPLE_MANIFEST } from "../../lib/packages/example-manifest";
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

/** Signs a new user up (e-mail not verified) and makes their workspace a provider named `name` with the slug `slug` on /provider. */
export async function newProviderInBrowser(page: Page, name: string, slug: string) {
  await signUpInBrowser(page, `${name} owner`, uniqueEmail("provider"), undefined, { verify: false });
  await loadHydrated(page, "/provider");
  await page.getByLabel("Public name").fill(name);
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Support URL").fill("https://provider.example/help");
  await page.getByLabel("Support URL").press("Enter");
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
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

const appDir = path.join(process.cwd(), "app");
/** Every page found on disk as a URL template ("/runs/[id]"), route groups left out. */
export const pageTemplates = (dir = appDir): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === "api" ? [] : pageTemplates(path.join(dir, e.name));
    if (e.name !== "page.tsx") return [];
    const segments = path.relative(appDir, dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
    return ["/" + segments.join("/")];
  });

/** Loads a page and waits until React has hydrated it. */
export async function loadHydrated(page: Page, url: string) {
  const res = await page.goto(url);
  expect(res?.status(), url).toBeLessThan(500);
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")), undefined, { timeout: 15_000 });
}

/** The pages a signed-out visitor walks through (as templates). */
export const visitorPageTemplates = ["/", "/agents", "/agents/[slug]", "/providers/[slug]", "/signin", "/signup", "/no-such-page"];

/**
 * Gives every page template a real URL for the page walk: starts a run (with a finding), uploads a document and makes
 * the workspace a provider with a draft package as the signed-in member (owner) of `workspaceName`, and has the
 * signed-in admin find that workspace.
 */
export async function pageWalkUrls(memberPage: Page, adminPage: Page, workspaceName: string): Promise<(template: string) => string> {
  const run = await memberPage.request.post("/api/v1/runs", { data: { agent: "security-scanner", input: { files: [{ path: "a.py", content: "x = eval(input())\n" }] } } });
  expect(run.status()).toBe(201);
  const runId = (await run.json()).id as string;
  const doc = await memberPage.request.post("/api/v1/documents", {
    multipart: { file: { name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from("# Notes\n\nSee [the guide](https://example.com/guide).\n") } },
  });
  expect(doc.status()).toBe(201);
  const docId = (await doc.json()).id as string;
  const tag = randomUUID().slice(0, 8);
  expect((await memberPage.request.put("/api/v1/provider", { data: { name: workspaceName, slug: `walk-${tag}`, supportUrl: "https://example.com/help" } })).status()).toBe(200);
  const draft = await memberPage.request.post("/api/v1/provider/packages", { data: { ...EXAMPLE_MANIFEST, slug: `walk-package-${tag}` } });
  expect(draft.status()).toBe(201);
  const workspaces = await adminPage.request.get(`/api/v1/admin/workspaces?q=${encodeURIComponent(workspaceName)}`);
  const workspaceId = (await workspaces.json()).data[0].id as string;
  return (t) =>
    t
      .replace("/provider/packages/[slug]/[version]", `/provider/packages/walk-package-${tag}/1.0.0`)
      .replace("/agents/[slug]", "/agents/security-scanner")
      .replace("/providers/[slug]", "/providers/agora")
      .replace("/runs/[id]", `/runs/${runId}`)
      .replace("/upgrade-previews/[id]", "/upgrade-previews") // needs two published versions; the E2E upgrade-preview.spec.ts checks it at phone width
      .replace("/exchange/[id]", "/exchange") // needs posted work with bids; the E2E exchange.spec.ts checks it at phone width
      .replace("/documents/[id]", `/documents/${docId}`)
      .replace("/workspaces/[id]", `/workspaces/${workspaceId}`);
}

/** Creates, validates and submits a version as the provider; the admin approves it. */
export async function publish(provider: Page, admin: Page, manifest: Record<string, unknown> & { slug: string; version: string }) {
  const draft = await provider.request.post("/api/v1/provider/packages", { data: manifest });
  expect(draft.status(), await draft.text()).toBe(201);
  const id = ((await draft.json()) as { version: { id: string } }).version.id;
  const path = `/api/v1/provider/packages/${manifest.slug}/versions/${manifest.version}`;
  const validated = await provider.request.post(`${path}/validate`);
  expect(validated.status(), await validated.text()).toBe(200);
  expect((await provider.request.post(`${path}/submit`)).status()).toBe(200);
  const approved = await admin.request.post(`/api/v1/admin/reviews/${id}/approve`, { data: {} });
  expect(approved.status(), await approved.text()).toBe(200);
}

/** Queues a background job now from /admin/health, as the signed-in admin on `admin`. */
export async function runJobNow(admin: Page, name: string) {
  await loadHydrated(admin, "/admin/health");
  await admin.getByRole("button", { name: `Run ${name} now` }).click();
  // Queued now, or its every-minute schedule had just queued it.
  const escaped = name.replace(".", "\\.");
  await expect(admin.getByText(new RegExp(`^${escaped} is queued\\.$|^'${escaped}' is already waiting to run\\.$`))).toBeVisible();
}
