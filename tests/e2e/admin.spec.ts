import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// The admin console as an operator uses it, and the authorization matrix of
// every admin page found on disk (routes have theirs in
// tests/integration/admin-authorization.int.test.ts).

const adminDir = path.join(process.cwd(), "app", "admin");
const pages = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pages(path.join(dir, e.name)) : e.name === "page.tsx" ? ["/admin/" + path.relative(adminDir, dir).split(path.sep).join("/")] : []));
const smuggle = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };

async function signedIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInInBrowser(page, email, password);
  await expect(page.getByLabel("Account menu")).toBeVisible();
  return { context, page };
}

test("every admin page: anonymous → sign-in, member → 403, disabled admin → sign-in, admin → 200", async ({ browser, playwright, baseURL }) => {
  const templates = pages(adminDir).map((p) => p.replace(/\/$/, ""));
  expect(templates.length).toBeGreaterThanOrEqual(10);

  const member = await browser.newContext();
  const memberPage = await member.newPage();
  const memberEmail = uniqueEmail("matrix-member");
  await signUpInBrowser(memberPage, "Matrix", memberEmail);
  const admin = await signedIn(browser, "admin@agora.dev", "agora-admin");
  // Real ids for the detail pages: the member's workspace and a run of theirs.
  const started = await memberPage.request.post("/api/v1/runs", { data: { agent: "security-scanner", input: { files: [{ path: "a.py", content: "x = 1\n" }] } } });
  expect(started.status()).toBe(201);
  const runId = (await started.json()).id as string;
  const ws = (await (await admin.page.request.get(`/api/v1/admin/workspaces?q=${encodeURIComponent("Matrix")}`)).json()).data[0].id as string;
  const url = (t: string) => t.replace("[id]", t.includes("/runs/") ? runId : ws);

  // A second admin, signed in, then disabled by the first: their session stops at once.
  const exAdminEmail = uniqueEmail("ex-admin");
  const exAdminContext = await browser.newContext();
  await signUpInBrowser(await exAdminContext.newPage(), "Ex", exAdminEmail);
  const exId = (await (await admin.page.request.get(`/api/v1/admin/users?q=${encodeURIComponent(exAdminEmail)}`)).json()).data[0].id as string;
  expect((await admin.page.request.patch(`/api/v1/admin/users/${exId}`, { data: { isAdmin: true } })).status()).toBe(200);
  expect((await exAdminContext.request.get("/admin", { headers: smuggle })).status()).toBe(200);
  expect((await admin.page.request.patch(`/api/v1/admin/users/${exId}`, { data: { disabled: true } })).status()).toBe(200);

  const anonymous: APIRequestContext = await playwright.request.newContext({ baseURL });
  for (const t of templates) {
    const target = url(t);
    const anon = await anonymous.get(target, { headers: smuggle, maxRedirects: 0 });
    expect([307, 303, 302], `anonymous ${target}`).toContain(anon.status());
    expect(anon.headers().location, `anonymous ${target}`).toContain("/signin");
    expect((await member.request.get(target, { headers: smuggle })).status(), `member ${target}`).toBe(403);
    const ex = await exAdminContext.request.get(target, { headers: smuggle, maxRedirects: 0 });
    expect(ex.headers().location ?? "", `disabled admin ${target}`).toContain("/signin");
    expect((await admin.page.request.get(target, { headers: smuggle })).status(), `admin ${target}`).toBe(200);
  }
  await Promise.all([member.close(), admin.context.close(), exAdminContext.close(), anonymous.dispose()]);
});

test("an admin suspends a workspace (its run gets 403), unsuspends it, changes a package's price (the next quote shows it); each action is in the audit log", async ({ browser, request }) => {
  // A customer with an API key.
  const customer = await browser.newContext();
  const customerPage = await customer.newPage();
  await signUpInBrowser(customerPage, "Suspendee", uniqueEmail("suspendee"));
  const created = await customerPage.request.post("/api/v1/keys", { data: { name: "runner" } });
  const { secret } = (await created.json()) as { secret: string };
  const headers = { authorization: `Bearer ${secret}` };
  const run = () => request.post("/api/v1/runs", { headers, data: { agent: "security-scanner", input: { files: [{ path: "a.py", content: "x = 1\n" }] } } });

  const { context, page } = await signedIn(browser, "admin@agora.dev", "agora-admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("admin-windows")).toContainText("Today");

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Workspaces" }).click();
  await page.getByLabel("Search name, slug, id or Stripe customer").fill("Suspendee");
  await page.getByTestId("admin-workspace-row").filter({ hasText: "Suspendee" }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Suspendee's workspace" })).toBeVisible();
  const workspaceId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByLabel("Reason for suspending").fill("e2e abuse report");
  await page.getByRole("button", { name: "Suspend workspace" }).click();
  await expect(page.getByText("Its runs get 403 workspace_suspended")).toBeVisible();
  const refused = await run();
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("workspace_suspended");
  await page.getByRole("button", { name: "Unsuspend workspace" }).click();
  await expect(page.getByText("Its runs get 403 workspace_suspended")).toBeHidden();
  expect((await run()).status()).toBe(201);

  // Credits: a grant with a reason lands in the ledger.
  await page.getByLabel("Amount (USD)").fill("2.50");
  await page.getByLabel("Reason", { exact: true }).fill("e2e goodwill");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Done: a ledger transfer")).toBeVisible();
  await expect(page.getByTestId("wallet-history")).toContainText("Admin grant");

  // A package's price: the next quote reflects it.
  const quote = async () => (await (await request.post("/api/v1/runs/quote", { headers, data: { agent: "audit-agent", input: { events: '{"time":"2026-11-02T10:00:00Z","actor":"a","action":"x"}' } } })).json()) as { baseFeeMicros: number };
  const before = await quote();
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Packages" }).click();
  const row = page.getByTestId("admin-package-row").filter({ hasText: "audit-agent@" });
  await row.getByRole("button", { name: /^Edit audit-agent/ }).click();
  const form = page.getByRole("form", { name: "Edit audit-agent" });
  const newFee = ((before.baseFeeMicros + 1_000) / 1_000_000).toString();
  await form.getByLabel("Base fee (USD)").fill(newFee);
  await form.getByRole("button", { name: "Save package" }).click();
  await expect(row).toContainText(`$${newFee}`);
  await expect.poll(async () => (await quote()).baseFeeMicros, { timeout: 10_000 }).toBe(before.baseFeeMicros + 1_000);
  // Put it back for the other tests.
  await row.getByRole("button", { name: /^Edit audit-agent/ }).click();
  await form.getByLabel("Base fee (USD)").fill((before.baseFeeMicros / 1_000_000).toString());
  await form.getByRole("button", { name: "Save package" }).click();
  await expect(row).toContainText(`$${before.baseFeeMicros / 1_000_000}`);

  // The runs explorer: the customer's run found by status (a select), agent and workspace; its transcript opens.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Runs" }).click();
  const runRows = page.getByTestId("admin-run-row");
  await expect(runRows.first()).toBeVisible(); // the list has loaded: the page is live
  await page.getByLabel("Status").selectOption("SUCCEEDED");
  await page.getByLabel("Agent slug").fill("security-scanner");
  await page.getByLabel("Workspace (id or slug)").fill(workspaceId);
  await expect(page).toHaveURL(new RegExp(`status=SUCCEEDED&agent=security-scanner&workspace=${workspaceId}$`)); // typing pauses, then the filters apply
  await expect(runRows).toHaveCount(1); // the one run that got through (the suspended workspace's was refused)
  await expect(runRows.filter({ hasNotText: "succeeded" })).toHaveCount(0);
  await page.getByLabel("Status").selectOption("CANCELED");
  await expect(page.getByText("No runs match")).toBeVisible();
  await page.getByLabel("Status").selectOption("");
  await expect(runRows).toHaveCount(1);
  // Typed, and the row clicked just before the typing pause ends: the change must not land
  // after the link was followed (it used to, and brought the list back).
  await page.getByLabel("Model").fill("offline");
  await page.waitForTimeout(200);
  await runRows.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/admin\/runs\/[a-z0-9]+$/);
  await page.waitForTimeout(600); // past the pause: no late filter change brings the list back
  await expect(page).toHaveURL(/\/admin\/runs\/[a-z0-9]+$/);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("Action (prefix, e.g. admin.)").fill("admin.");
  const audit = page.getByTestId("audit-row");
  for (const action of ["admin.workspace.suspended", "admin.workspace.unsuspended", "admin.credits.granted", "admin.package.updated"]) {
    await expect(audit.filter({ hasText: action }).first()).toBeVisible();
  }

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Health" }).click();
  await page.getByRole("button", { name: "Run the ledger check" }).click();
  await expect(page.getByText("All invariants hold")).toBeVisible();
  await Promise.all([context.close(), customer.close()]);
});
