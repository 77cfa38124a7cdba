import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { loadHydrated, pageTemplates, pageWalkUrls, signInInBrowser, signUpInBrowser, uniqueEmail, visitorPageTemplates } from "./helpers";

// Every page at a phone's size and a desktop's, signed out, as a member and as an admin: nothing
// wider than the window, no console errors, no failed requests; the phone menu opens and closes
// the way people expect; axe finds nothing serious or critical on any page.

// The walk loads every page twice over (two sizes) and runs axe on each.
test.describe.configure({ timeout: 420_000 });

const phone = { width: 390, height: 844 };
const desktop = { width: 1440, height: 900 };

/** Pages the walk opens to see them answer "not found": their 404 is provoked, not a failure. */
const provoked404 = ["/no-such-page", "/invitations/[token]"];

/** Records what no page may do: log a console error, throw, or have a request fail. */
function watch(page: Page, problems: string[]) {
  const where = () => new URL(page.url()).pathname;
  page.on("console", (m) => {
    // A failed load is reported below with its URL (and a provoked 404 is left out there).
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console error on ${where()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught error on ${where()}: ${e.message}`));
  // A request the next navigation cancels (a prefetch, an event stream) ends as ERR_ABORTED: not a failure.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`${r.method()} ${r.url()} failed: ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    const pathname = new URL(r.url()).pathname;
    const provoked = r.request().isNavigationRequest() && r.status() === 404 && provoked404.some((t) => pathname.startsWith(t.replace("[token]", "")));
    if (r.status() >= 400 && !provoked) problems.push(`${r.status()} ${r.request().method()} ${pathname} (on ${where()})`);
  });
}

async function newPage(browser: Browser, viewport: typeof phone, problems: string[]) {
  const page = await (await browser.newContext({ viewport })).newPage();
  watch(page, problems);
  return page;
}

for (const viewport of [phone, desktop]) {
  test(`at ${viewport.width}×${viewport.height} no page is wider than the window, logs an error, fails a request or has a serious accessibility fault`, async ({ browser }) => {
    const problems: string[] = [];
    const overflowing: string[] = [];
    const axe: string[] = [];
    const [visitorPage, memberPage, adminPage] = [await newPage(browser, viewport, problems), await newPage(browser, viewport, problems), await newPage(browser, viewport, problems)];

    const name = `Phone ${viewport.width}`;
    await signUpInBrowser(memberPage, name, uniqueEmail("phone"));
    await signInInBrowser(adminPage, "admin@agora.dev", "agora-admin");
    await expect(adminPage.getByLabel("Account menu")).toBeVisible();
    const url = await pageWalkUrls(memberPage, adminPage, name);

    const templates = pageTemplates();
    const walk: [Page, string, string][] = [
      ...[...new Set([...visitorPageTemplates, ...templates.filter((t) => !t.startsWith("/admin"))])].map((t): [Page, string, string] => [visitorPage, "visitor", t]),
      ...templates.map((t): [Page, string, string] => [t.startsWith("/admin") ? adminPage : memberPage, t.startsWith("/admin") ? "admin" : "member", t]),
    ];
    for (const [page, who, template] of walk) {
      await loadHydrated(page, url(template));
      // Lists load after hydration; measure them loaded.
      await expect(page.getByText(/^Loading .*…$/)).toHaveCount(0);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      if (scrollWidth > innerWidth) overflowing.push(`${template} as ${who}: ${scrollWidth} px`);
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        axe.push(`${template} as ${who}: ${v.impact} ${v.id} (${v.nodes.length}×) e.g. ${v.nodes[0]?.target.join(" ")}`);
      }
    }

    expect(overflowing).toEqual([]);
    expect(problems).toEqual([]);
    expect(axe).toEqual([]);
  });
}

test("on a phone the menu button opens the main navigation; Esc, an outside click and navigating close it", async ({ browser }) => {
  const problems: string[] = [];
  const page = await newPage(browser, phone, problems);
  await signUpInBrowser(page, "Menu", uniqueEmail("menu"));
  await page.goto("/workspace");

  const button = page.getByRole("button", { name: "Menu", exact: true });
  const menu = page.locator(`#${await button.getAttribute("aria-controls")}`);
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeHidden();

  // Opens with the button, focus inside; Esc closes it and gives focus back.
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  await expect(menu.getByRole("link", { name: "Agents" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();

  // An outside click closes it (in the page's left margin, under the open menu: nothing there to click).
  const outside = () => page.mouse.click(2, phone.height - 4);
  await button.click();
  await expect(menu).toBeVisible();
  await outside();
  await expect(menu).toBeHidden();
  await expect(button).toHaveAttribute("aria-expanded", "false");

  // Navigating closes it: the next page does not open under it.
  await button.click();
  await menu.getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(menu).toBeHidden();

  // The account menu closes the same three ways.
  const account = page.getByRole("button", { name: "Account menu" });
  const accountPanel = page.locator(`#${await account.getAttribute("aria-controls")}`);
  await account.click();
  await expect(accountPanel.getByRole("link", { name: "Account and password" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(accountPanel).toBeHidden();
  await expect(account).toBeFocused();
  await account.click();
  await expect(accountPanel).toBeVisible();
  await outside();
  await expect(accountPanel).toBeHidden();
  await account.click();
  await accountPanel.getByRole("link", { name: "Account and password" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(accountPanel).toBeHidden();

  // On a desktop the navigation is in the header and there is no menu button.
  await page.setViewportSize(desktop);
  await expect(button).toBeHidden();
  await expect(page.getByRole("banner").getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" })).toBeVisible();
  expect(problems).toEqual([]);
});
