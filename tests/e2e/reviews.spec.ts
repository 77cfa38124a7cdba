import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { loadHydrated, signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// Reviews (issue 20 item 4) as people meet them: a buyer with a paid run writes a
// review on the agent page with the keyboard and sees it in the rating; another
// workspace reports a review and an admin hides it in /admin/moderation.

const AGENT = "security-scanner";
const input = { files: [{ path: "a.py", content: "x = eval(input())\n" }] };

async function newUser(browser: Browser, label: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const name = `${label} ${randomUUID().slice(0, 6)}`;
  await signUpInBrowser(page, name, uniqueEmail(label.toLowerCase()));
  return { context, page, workspaceName: `${name}'s workspace` };
}

/** A paid (SUCCEEDED) run of the agent by the page's workspace, through the API. */
async function paidRun(page: Page) {
  const started = await page.request.post("/api/v1/runs", { data: { agent: AGENT, input } });
  expect(started.status()).toBe(201);
  const id = (await started.json()).id as string;
  await expect.poll(async () => (await (await page.request.get(`/api/v1/runs/${id}`)).json()).status, { timeout: 30_000 }).toBe("SUCCEEDED");
}

test("a buyer with a paid run writes a review on the agent page and sees it with the rating", async ({ browser }) => {
  const buyer = await newUser(browser, "Rita");
  const { page } = buyer;
  await loadHydrated(page, `/agents/${AGENT}`);
  await expect(page.getByTestId("cannot-review")).toContainText("no paid run of Security Scanner in the last 90 days");

  await paidRun(page);
  await loadHydrated(page, `/agents/${AGENT}`);
  // The stars are a radio group: focus the first, arrow to the fourth.
  await page.getByRole("radio", { name: "1 star", exact: true }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("radio", { name: "4 stars" })).toBeChecked();
  const text = `Found the eval **quickly** ${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Review", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Post review" }).click();

  const mine = page.getByRole("article", { name: `Review by ${buyer.workspaceName}` });
  await expect(mine).toContainText(text.replace("**quickly**", "quickly"));
  await expect(mine.locator("strong")).toHaveText("quickly");
  await expect(mine.getByRole("img", { name: "4.0 out of 5 stars" })).toBeVisible();
  await expect(mine).toContainText("Your workspace");
  const { summary } = await (await page.request.get(`/api/v1/agents/${AGENT}/reviews`)).json();
  expect(summary.count).toBeGreaterThanOrEqual(1);
  const summaryBox = page.getByTestId("rating-summary");
  await expect(summaryBox).toContainText(summary.rating.toFixed(1));
  await expect(summaryBox).toContainText(/paying workspaces?/);
  await expect(page.getByText(`Your workspace has reviewed Security Scanner; edit the review below.`)).toBeVisible();
  await buyer.context.close();
});

test("another workspace reports a review and an admin hides it in /admin/moderation", async ({ browser }) => {
  const author = await newUser(browser, "Angry");
  await paidRun(author.page);
  const text = `Spam spam ${randomUUID().slice(0, 8)}`;
  expect((await author.page.request.post(`/api/v1/agents/${AGENT}/reviews`, { data: { rating: 1, body: text } })).status()).toBe(201);

  const reporter = await newUser(browser, "Fair");
  await loadHydrated(reporter.page, `/agents/${AGENT}`);
  const review = reporter.page.getByRole("article", { name: `Review by ${author.workspaceName}` });
  await review.getByRole("button", { name: "Report" }).click();
  const dialog = reporter.page.getByRole("dialog", { name: `Report ${author.workspaceName}'s review` });
  await dialog.getByLabel("Why should an admin look at it?").fill("Advertising, not a review.");
  await dialog.getByRole("button", { name: "Send report" }).click();
  await expect(review).toContainText("Reported. An admin will look at it.");

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInInBrowser(admin, "admin@agora.dev", "agora-admin");
  await expect(admin.getByLabel("Account menu")).toBeVisible();
  await loadHydrated(admin, "/admin/moderation");
  const item = admin.getByTestId("report-item").filter({ hasText: text });
  await expect(item).toContainText("Advertising, not a review.");
  await item.getByLabel("Reason to hide").fill("Spam.");
  await item.getByRole("button", { name: "Hide review" }).click();
  await expect(item).toHaveCount(0);

  await loadHydrated(reporter.page, `/agents/${AGENT}`);
  await expect(reporter.page.getByRole("heading", { name: "Reviews" })).toBeVisible();
  await expect(reporter.page.getByText(text)).toHaveCount(0);
  await Promise.all([author.context.close(), reporter.context.close(), adminContext.close()]);
});
