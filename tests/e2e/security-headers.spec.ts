import { expect, test, type BrowserContext, type Response } from "@playwright/test";
import { loadHydrated, pageTemplates, pageWalkUrls, signInInBrowser, signUpInBrowser, uniqueEmail, visitorPageTemplates } from "./helpers";

// The Content-Security-Policy of every page (lib/http/csp.ts, proxy.ts): scripts run
// only with the response's nonce, and no page of the app trips the policy.

// The page walk loads some thirty pages and waits for each to hydrate.
test.describe.configure({ timeout: 180_000 });

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
  const templates = pageTemplates();
  expect(templates.length).toBeGreaterThanOrEqual(20);

  const [visitor, member, admin] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const violations = await Promise.all([visitor, member, admin].map(watchViolations));

  const memberPage = await member.newPage();
  await signUpInBrowser(memberPage, "Policy", uniqueEmail("csp"));
  const adminPage = await admin.newPage();
  await signInInBrowser(adminPage, "admin@agora.dev", "agora-admin");
  await expect(adminPage.getByLabel("Account menu")).toBeVisible();
  const url = await pageWalkUrls(memberPage, adminPage, "Policy");
  const visitorPage = await visitor.newPage();
  for (const t of visitorPageTemplates) await loadHydrated(visitorPage, url(t));
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
