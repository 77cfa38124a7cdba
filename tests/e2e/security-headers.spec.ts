import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type BrowserContext, type Page, type Response } from "@playwright/test";
import { signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// The Content-Security-Policy of every page (lib/http/csp.ts, proxy.ts): scripts run
// only with the response's nonce, and no page of the app trips the policy.

// The page walk loads some thirty pages and waits for each to hydrate.
test.describe.configure({ timeout: 180_000 });

const appDir = path.join(process.cwd(), "app");
/** Every page found on disk as a URL template ("/runs/[id]"), route groups left out. */
const pageTemplates = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === "api" ? [] : pageTemplates(path.join(dir, e.name));
    if (e.name !== "page.tsx") return [];
    const segments = path.relative(appDir, dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
    return ["/" + segments.join("/")];
  });

const scriptSrc = (res: Response | null) =>
  (res?.headers()["content-security-policy"] ?? "")
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src ")) ?? "";

/** Collects every CSP violation a page of this context reports, as an event or on the console. */
async function watchViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeFunction("reportCspViolation", (v: string) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`),
    );
  });
  context.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) violations.push(m.text());
  });
  return violations;
}

/** Loads a page and waits until React has hydrated it: scripts the policy blocked would never get there. */
async function loadHydrated(page: Page, url: string) {
  const res = await page.goto(url);
  expect(res?.status(), url).toBeLessThan(500);
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")), undefined, { timeout: 15_000 });
}

test("pages answer with a fresh script nonce and no 'unsafe-inline'; each of their scripts carries the nonce", async ({ page }) => {
  for (const url of ["/", "/signin"]) {
    const nonces: string[] = [];
    for (let load = 0; load < 2; load++) {
      const res = await page.goto(url);
      const scripts = scriptSrc(res);
      expect(scripts, url).toContain("'strict-dynamic'");
      expect(scripts, url).not.toContain("'unsafe-inline'");
      const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1] ?? "";
      expect(nonce, url).not.toBe("");
      const tags = (await res!.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length, url).toBeGreaterThan(0);
      for (const tag of tags) expect(tag, url).toContain(` nonce="${nonce}"`);
      nonces.push(nonce);
    }
    expect(nonces[0], url).not.toBe(nonces[1]);
  }
  const api = await page.request.get("/api/health/live");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
});

test("no page of the app, signed in or out, admin or not, trips the Content-Security-Policy", async ({ browser }) => {
  const templates = pageTemplates(appDir);
  expect(templates.length).toBeGreaterThanOrEqual(20);

  const [visitor, member, admin] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const violations = await Promise.all([visitor, member, admin].map(watchViolations));

  const memberPage = await member.newPage();
  await signUpInBrowser(memberPage, "Policy", uniqueEmail("csp"));
  const run = await memberPage.request.post("/api/v1/runs", { data: { agent: "security-scanner", input: { files: [{ path: "a.py", content: "x = 1\n" }] } } });
  expect(run.status()).toBe(201);
  const runId = (await run.json()).id as string;
  const doc = await memberPage.request.post("/api/v1/documents", {
    multipart: { file: { name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from("# Notes\n\nSee [the guide](https://example.com/guide).\n") } },
  });
  expect(doc.status()).toBe(201);
  const docId = (await doc.json()).id as string;

  const adminPage = await admin.newPage();
  await signInInBrowser(adminPage, "admin@agora.dev", "agora-admin");
  await expect(adminPage.getByLabel("Account menu")).toBeVisible();
  const workspaces = await adminPage.request.get(`/api/v1/admin/workspaces?q=${encodeURIComponent("Policy")}`);
  const workspaceId = (await workspaces.json()).data[0].id as string;

  const url = (t: string) =>
    t
      .replace("/agents/[slug]", "/agents/security-scanner")
      .replace("/runs/[id]", `/runs/${runId}`)
      .replace("/documents/[id]", `/documents/${docId}`)
      .replace("/workspaces/[id]", `/workspaces/${workspaceId}`);
  const visitorPage = await visitor.newPage();
  for (const t of ["/", "/agents", "/agents/[slug]", "/signin", "/signup", "/no-such-page"]) await loadHydrated(visitorPage, url(t));
  for (const t of templates) await loadHydrated(t.startsWith("/admin") ? adminPage : memberPage, url(t));

  expect(violations.flat()).toEqual([]);
  await Promise.all([visitor, member, admin].map((c) => c.close()));
});

// lib/http/server-guards.ts sits in front of the deployed (standalone) server as it does under `next dev`
// (the same guard records the socket address for client IPs): TRACE is refused before Next, which would answer 500.
test("the deployed server refuses TRACE with a 405 in the API's error shape", async ({ request }) => {
  for (const url of ["/", "/api/v1/agents"]) {
    const res = await request.fetch(url, { method: "TRACE" });
    expect(res.status(), url).toBe(405);
    expect((await res.json()).error.code).toBe("method_not_allowed");
  }
});
