import { expect, test, type Request } from "@playwright/test";
import { loadHydrated, signInInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";

// Issue 22: the console holds ONE live event stream per browser (tabs elect a leader that relays to
// the others), and the balance badge follows the workspace's events instead of polling.

const dollars = (text: string | null) => Number((text ?? "").replace(/[^0-9.]/g, ""));

test("two tabs share one event stream while navigating; an admin grant updates both badges without a reload or a balance fetch; a successor tab takes over", async ({ browser }) => {
  const context = await browser.newContext();
  const tabA = await context.newPage();
  // Stream connections of the whole browser context: every one started, and how many are open now
  // (a stream ends with requestfinished, or requestfailed when its page navigates away; a closed
  // tab's connections end with the tab, which Playwright reports with no request event).
  const streams: string[] = [];
  const live = new Set<Request>();
  const open = () => [...live].filter((r) => !r.frame().page().isClosed()).length;
  const balanceReads: string[] = [];
  const isStream = (r: Request) => new URL(r.url()).pathname === "/api/v1/events/stream";
  const onRequest = (r: Request) => {
    const url = new URL(r.url());
    if (isStream(r)) {
      streams.push(r.url());
      live.add(r);
    }
    if (url.pathname === "/api/v1/me") balanceReads.push(r.url());
  };
  const onEnd = (r: Request) => void live.delete(r);
  context.on("request", onRequest);
  context.on("requestfinished", onEnd);
  context.on("requestfailed", onEnd);

  const name = `Streamer ${Math.random().toString(36).slice(2, 8)}`;
  await signUpInBrowser(tabA, name, uniqueEmail("streamer"));

  // A full load of the console: the previous page's stream closes, this one opens — one open.
  await loadHydrated(tabA, "/runs");
  await expect.poll(open).toBe(1);
  const started = streams.length;
  const tabB = await context.newPage();
  await loadHydrated(tabB, "/usage");
  // Both tabs move around the console, by links and by full loads of the follower tab.
  for (const label of ["Billing", "Runs", "Exchange", "Usage"]) {
    await tabA.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
    await expect(tabA).toHaveURL(new RegExp(`/${label.toLowerCase()}`));
  }
  await loadHydrated(tabB, "/billing");
  await loadHydrated(tabB, "/runs");
  // Neither tab's moves opened another: tab A's links keep its page (and stream), tab B follows.
  expect(streams).toHaveLength(started);
  expect(open()).toBe(1);

  // An admin grants credit: both tabs' badges show it, with no reload and no balance read.
  const before = dollars(await tabA.getByTestId("balance").textContent());
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signInInBrowser(adminPage, "admin@agora.dev", "agora-admin");
  await expect(adminPage.getByLabel("Account menu")).toBeVisible(); // signed in: the session cookie is set
  const workspaceId = ((await (await tabA.request.get("/api/v1/me")).json()) as { workspace: { id: string } }).workspace.id;
  const grant = async (micros: number, key: string) =>
    expect((await adminPage.request.post(`/api/v1/admin/workspaces/${workspaceId}/credits`, { headers: { "idempotency-key": key }, data: { direction: "grant", amountMicros: micros, reason: "e2e live balance" } })).status()).toBeLessThan(300);
  const readsBefore = balanceReads.length;
  const navigationsA = [] as string[];
  tabA.on("framenavigated", (f) => f === tabA.mainFrame() && navigationsA.push(f.url()));
  await grant(3_000_000, `e2e-stream-${workspaceId}-1`);
  await expect.poll(async () => dollars(await tabA.getByTestId("balance").textContent()), { timeout: 20_000 }).toBeCloseTo(before + 3, 2);
  await expect.poll(async () => dollars(await tabB.getByTestId("balance").textContent()), { timeout: 20_000 }).toBeCloseTo(before + 3, 2);
  expect(balanceReads.length).toBe(readsBefore);
  expect(navigationsA).toEqual([]);
  expect(streams).toHaveLength(started);

  // The leader tab closes: the other takes the lock, opens the stream after the last seq it saw, and follows on.
  await tabA.close();
  await expect.poll(() => streams.length, { timeout: 20_000 }).toBe(started + 1);
  await expect.poll(open).toBe(1);
  expect(new URL(streams[started]!).searchParams.get("after")).toMatch(/^[1-9]\d*$/);
  await grant(1_000_000, `e2e-stream-${workspaceId}-2`);
  await expect.poll(async () => dollars(await tabB.getByTestId("balance").textContent()), { timeout: 20_000 }).toBeCloseTo(before + 4, 2);
  expect(streams).toHaveLength(started + 1);

  context.off("request", onRequest);
  await Promise.all([context.close(), admin.close()]);
});
