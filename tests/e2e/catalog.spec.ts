import { expect, test, type Page } from "@playwright/test";
import { loadHydrated } from "./helpers";

// The catalog as a visitor meets it: agents first on a phone, chips that say what
// they leave, a way back from any filter, and searches that forgive a typo.

const cards = (page: Page) => page.getByRole("main").getByRole("heading", { level: 2 });
const chip = (page: Page, name: string) => page.getByRole("button", { name: new RegExp(`^${name} \\d+$`) });
const chipCount = async (page: Page, name: string) => Number(await chip(page, name).getByTestId("chip-count").textContent());

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the filters fold behind a button, and the first agent is on the first screen within ten tab stops", async ({ page }) => {
    await loadHydrated(page, "/agents");
    const firstAgent = cards(page).first().getByRole("link");
    await expect(firstAgent).toBeInViewport();
    await expect(page.getByRole("group", { name: "Capability" })).toBeHidden();
    const filters = page.getByRole("button", { name: "Filters" });
    await expect(filters).toHaveAttribute("aria-expanded", "false");

    let stops = 0;
    for (; stops < 10; stops++) {
      await page.keyboard.press("Tab");
      if (await firstAgent.evaluate((el) => el === document.activeElement)) break;
    }
    expect(stops, "tab stops before the first agent").toBeLessThan(10);

    await filters.click();
    await expect(filters).toHaveAttribute("aria-expanded", "true");
    await chip(page, "data").click();
    await expect(page).toHaveURL(/[?&]category=data/);
    await expect(page.getByRole("button", { name: "Filters (1)" })).toBeVisible();
  });
});

test("each chip shows how many agents choosing it lists; chips that would list none are left out; Clear filters brings them all back", async ({ page }) => {
  await loadHydrated(page, "/agents");
  await expect(cards(page).first()).toBeVisible();
  const all = await cards(page).count();

  expect(await chipCount(page, "devops")).toBe(2); // Deployment Agent, Incident Responder
  await chip(page, "devops").click();
  await expect(page).toHaveURL(/[?&]category=devops/);
  await expect(cards(page)).toHaveCount(2);
  await expect(chip(page, "devops")).toHaveAttribute("aria-pressed", "true");

  // Within devops: on-call is Incident Responder only, and csv (data, analytics) is no longer offered.
  await expect(chip(page, "csv")).toHaveCount(0);
  const onCall = await chipCount(page, "on-call");
  await chip(page, "on-call").click();
  await expect(page).toHaveURL(/[?&]capability=on-call/);
  await expect(cards(page)).toHaveCount(onCall);
  await expect(cards(page)).toHaveText(["Incident Responder"]);

  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(cards(page)).toHaveCount(all);
  await expect(page.getByRole("link", { name: "Clear filters" })).toHaveCount(0);
});

test("a misspelt search finds the agent by similar words and says so; a search that finds nothing offers to clear it", async ({ page }) => {
  await loadHydrated(page, "/agents");
  const search = page.getByLabel("Search agents");
  await search.fill("incdent");
  await expect(page).toHaveURL(/[?&]q=incdent/);
  await expect(cards(page).first()).toHaveText("Incident Responder");
  await expect(page.getByText("Showing results for similar words.")).toBeVisible();

  await search.fill("qqzzxxvv");
  await expect(page.getByText("No agents match")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(search).toHaveValue("");
  await expect(page.getByText("Showing results for similar words.")).toHaveCount(0);
  await expect(cards(page).first()).toBeVisible();
});

test("on a wide screen the capabilities show the most used dozen until 'All … capabilities' opens the rest", async ({ page }) => {
  await loadHydrated(page, "/agents");
  const group = page.getByRole("group", { name: "Capability" });
  const chips = group.getByRole("button", { name: /^\S.* \d+$/ });
  const more = group.getByRole("button", { name: /^All \d+ capabilities$/ });
  await expect(more).toHaveAttribute("aria-expanded", "false");
  const total = Number(/\d+/.exec((await more.textContent())!)![0]);
  await expect(chips).toHaveCount(12);
  expect(total).toBeGreaterThan(12);

  await more.click();
  await expect(chips).toHaveCount(total);
  await group.getByRole("button", { name: "Fewer" }).click();
  await expect(chips).toHaveCount(12);
});
