import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// The run page keeps up with its event stream, and a finished run offers next steps (issue 16).

type Run = { id: string; agent: string; status: string; input: unknown; output: unknown; children: { id: string; status: string }[] };
const getRun = async (page: Page, id: string): Promise<Run> => (await page.request.get(`/api/v1/runs/${id}`)).json();
const runIdOf = (page: Page) => new URL(page.url()).pathname.split("/").at(-1)!;
const toolCallsRow = (page: Page) => page.locator("dt", { hasText: "Tool calls" }).locator("xpath=following-sibling::dd");

/** The child runs the page lists, as "id status" (its own row only, not its subtree), sorted. */
const childrenOnPage = (page: Page) =>
  page.getByTestId("child-run").evaluateAll((items) =>
    items
      .map((li) => {
        const row = li.firstElementChild!;
        return `${row.querySelector("a")!.getAttribute("href")!.split("/").at(-1)} ${row.querySelector("a + *")!.textContent}`;
      })
      .sort(),
  );
const childrenOnServer = async (page: Page, id: string) => (await getRun(page, id)).children.map((c) => `${c.id} ${c.status.toLowerCase()}`).sort();

/** An orchestrator run long enough to watch and to cancel mid-way: `outer` child orchestrators of `inner` Security Scanner runs each. */
async function startOrchestrator(page: Page, outer: number, inner: number): Promise<string> {
  const scan = { agent: "security-scanner", input: { files: [{ path: "a.py", content: 'KEY = "AKIAABCDEFGHIJKLMNOP"\n' }] } };
  const steps = Array.from({ length: outer }, (_, i) => ({ agent: "workflow-orchestrator", input: { goal: `scan part ${i + 1}`, steps: Array(inner).fill(scan) } }));
  const started = await page.request.post("/api/v1/runs", { data: { agent: "workflow-orchestrator", input: { goal: "scan every part", steps } } });
  expect(started.status()).toBe(201);
  const { id } = (await started.json()) as Run;
  await page.goto(`/runs/${id}`);
  return id;
}

test("a live run counts its tool calls, then runs again, re-runs edited, copies as a working curl call, shares and downloads", async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUpInBrowser(page, "Next Stepper", uniqueEmail("next-steps"));
  await page.goto("/agents/security-scanner");
  await page.getByRole("button", { name: "Use example" }).click();
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  const first = runIdOf(page);

  await expect(page.getByTestId("tool-call").first()).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(toolCallsRow(page)).toHaveText("2");
  await expect(page.getByText("Replayed from the run's event log.")).toHaveCount(0); // it was watched live
  const original = await getRun(page, first);

  // Copy as API call: the curl command, run by a shell with a real key, starts the same run.
  await page.getByText("Copy as API call").click();
  const curl = await page.getByTestId("api-call-curl").textContent();
  expect(curl).toContain("$AGORA_API_KEY");
  const key = await page.request.post("/api/v1/keys", { data: { name: "curl from the run page" } });
  expect(key.status()).toBe(201);
  const { secret } = (await key.json()) as { secret: string };
  const { stdout } = await promisify(execFile)("sh", ["-c", `${curl} -w '\\n%{http_code}'`], { env: { ...process.env, AGORA_API_KEY: secret } });
  const [body, status] = [stdout.slice(0, stdout.lastIndexOf("\n")), stdout.slice(stdout.lastIndexOf("\n") + 1)];
  expect(status).toBe("201");
  const viaCurl = JSON.parse(body) as Run;
  expect(viaCurl.id).not.toBe(first);
  expect(viaCurl.input).toEqual(original.input);

  // Copy link: the page's own URL, for workspace members.
  await page.getByRole("button", { name: "Copy link" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());

  // Download output: the run's output as JSON.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download output" }).click()]);
  expect(JSON.parse(await readFile((await download.path())!, "utf8"))).toEqual(original.output);

  // Edit and re-run: the agent page with this run's input in the form.
  await page.getByRole("link", { name: "Edit and re-run" }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/security-scanner\\?from=${first}$`));
  await expect(page.getByTestId("rerun-note")).toContainText(first);
  await expect(page.getByLabel("Path").first()).toHaveValue("config/settings.py");
  await page.goBack();

  // Run again: a new run with the same input.
  await page.getByRole("button", { name: "Run again" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${first}$`));
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  const again = await getRun(page, runIdOf(page));
  expect(again.id).not.toBe(first);
  expect(again.agent).toBe("security-scanner");
  expect(again.input).toEqual(original.input);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
});

test("an orchestrator's live page lists every child run the server has, without a reload", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page, "Conductor", uniqueEmail("conductor"));
  const id = await startOrchestrator(page, 4, 4);
  await expect(page.getByTestId("child-run").first()).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
  const server = await childrenOnServer(page, id);
  expect(server).toHaveLength(20);
  await expect.poll(() => childrenOnPage(page)).toEqual(server);
  expect(server.every((c) => c.endsWith(" succeeded"))).toBe(true);
});

test("canceling an orchestrator mid-way shows every child ended, none still running", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page, "Canceler", uniqueEmail("canceler"));
  const id = await startOrchestrator(page, 10, 10);
  await expect(page.getByTestId("child-run").first()).toBeVisible();
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("canceled", { timeout: 60_000 });
  // Every child ends (the one running at the click, if any, canceled with it: orchestrator.int.test.ts checks that;
  // the click may also fall between two children), and the page shows exactly the server's list, without a reload.
  const unfinished = (children: string[]) => children.filter((c) => / (running|queued)$/.test(c));
  await expect.poll(async () => unfinished(await childrenOnServer(page, id))).toEqual([]);
  const server = await childrenOnServer(page, id);
  expect(server.length).toBeLessThan(110); // it stopped mid-way
  await expect.poll(() => childrenOnPage(page)).toEqual(server);
  expect(unfinished(await childrenOnPage(page))).toEqual([]);
});
