import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { shellQuote } from "../../components/runs/api-call";
import { loadHydrated, signUpInBrowser, uniqueEmail } from "./helpers";
import { linkFromMail } from "./mail";

// The agent page as a visitor finds it (issue 16): one statement of the price, an account to
// run it (and the way back to it after sign-up and verification), a working API call with the
// agent's real example input; and the site's favicon.

/** Console errors, uncaught errors and failed requests of `page`, as they happen. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/** Runs a copied shell command with a real API key; returns the HTTP status and the response body. */
async function runWithKey(command: string, key: string): Promise<{ status: string; body: string }> {
  const { stdout } = await promisify(execFile)("sh", ["-c", `${command} -w '\\n%{http_code}'`], { env: { ...process.env, AGORA_API_KEY: key } });
  const cut = stdout.lastIndexOf("\n");
  return { status: stdout.slice(cut + 1), body: stdout.slice(0, cut) };
}

test("signed out, the agent page states one price and copies a curl call with the example input that starts a run", async ({ page, context, browser }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const problems = problemsOf(page);
  await loadHydrated(page, "/agents/security-scanner");
  const main = page.getByRole("main");

  await expect(main.getByTestId("agent-price")).toHaveCount(1);
  await expect(main.getByText(/per run/).filter({ visible: true })).toHaveCount(1);
  await expect(main.getByText(/Estimated price|Expected price/)).toHaveCount(0);
  await expect(main.getByText(/Create an account to run Security Scanner — \$1(\.00)? free credit/)).toBeVisible();
  await expect(main.getByText("The credit arrives when you verify your e-mail address.", { exact: false })).toBeVisible();
  await expect(main.getByRole("link", { name: "Sign in", exact: true })).toHaveAttribute("href", `/signin?callbackUrl=${encodeURIComponent("/agents/security-scanner")}`);

  await main.getByRole("button", { name: "Copy curl" }).click();
  await expect(main.getByRole("button", { name: "Copied" })).toBeVisible();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).not.toContain("…");
  expect(curl).toContain(`${new URL(page.url()).origin}/api/v1/runs`);
  const agent = (await (await page.request.get("/api/v1/agents/security-scanner")).json()) as { exampleInput: unknown };
  expect(curl).toContain(`--data-raw ${shellQuote(JSON.stringify({ agent: "security-scanner", input: agent.exampleInput }))}`);
  await expect(main.getByTestId("api-call-typescript")).toContainText('fetch("http');
  await page.setViewportSize({ width: 390, height: 844 }); // a phone: the long commands scroll in their own boxes
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // The copied command, run by a shell with a real key of a funded account, starts a run on the example input.
  const owner = await (await browser.newContext()).newPage();
  await signUpInBrowser(owner, "Curl Owner", uniqueEmail("agent-page-curl"));
  const key = await owner.request.post("/api/v1/keys", { data: { name: "curl from the agent page" } });
  expect(key.status()).toBe(201);
  const { status, body } = await runWithKey(curl, ((await key.json()) as { secret: string }).secret);
  expect(status).toBe("201");
  expect((JSON.parse(body) as { agent: string; input: unknown })).toMatchObject({ agent: "security-scanner", input: agent.exampleInput });
  expect(problems).toEqual([]);
});

test("an account made from the agent page comes back to the agent, and so does the verification link, with the credit to run it", async ({ page }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("agent-page-signup");
  await loadHydrated(page, "/agents/data-processor?example=1");
  await page.getByRole("main").getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/signup\?callbackUrl=/);
  await page.getByLabel("Name").fill("Returning Visitor");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/agents\/data-processor\?example=1$/);
  await expect(page.getByRole("button", { name: "Run agent" })).toBeVisible();

  await page.goto(await linkFromMail(email, /Verify your e-mail/));
  await page.getByRole("button", { name: "Verify my e-mail" }).click();
  await expect(page.getByText("Your e-mail is verified. Your starting credit is in your workspace.")).toBeVisible();
  await page.getByRole("link", { name: "Run your first agent" }).click();
  await expect(page).toHaveURL(/\/agents\/data-processor\?example=1$/);
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
});

test("the favicon is the brand mark, served as an SVG, and loads without errors or CSP violations", async ({ page }) => {
  const problems = problemsOf(page);
  await loadHydrated(page, "/");
  const href = await page.locator('head link[rel="icon"]').getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await page.request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
  expect(await icon.text()).toContain("<svg");
  // Loaded as an image by the page itself, it passes the page's CSP (img-src 'self').
  const loads = await page.evaluate(
    (src) =>
      new Promise<boolean>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(true);
        img.onerror = () => resolve(false);
        img.src = src;
      }),
    href!,
  );
  expect(loads).toBe(true);
  expect(problems).toEqual([]);
});
