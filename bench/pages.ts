// npm run bench:pages   (BENCH_RUNS=200 BENCH_VISITS=5; BENCH_SKIP_BUILD=1 reuses the last build)
//
// Issue 16's slow pages, measured on the production build: a workspace with BENCH_RUNS
// finished runs (offline model), its user signed in as an admin in real Chromium, then each
// page visited once cold (the server's first render of that route) and then BENCH_VISITS
// times. Per page: time to first byte, and time until the page is usable (loaded, hydrated,
// no "Loading …" left): the cold visit, then the median and the worst of the warm ones.
import { chromium } from "@playwright/test";
import { benchAccount, percentile, startProductionServer } from "./prod-server";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const VISITS = Number(process.env.BENCH_VISITS ?? 5);

const app = await startProductionServer("agora_bench_pages", {});
const account = await benchAccount();
const { getDb } = await import("../lib/db/client");
await getDb().user.update({ where: { id: account.userId }, data: { isAdmin: true } });

// Runs to list, sum and show: created in batches within the Enterprise tier's 50 at once, each waited to its end.
const input = { files: [{ path: "app.py", content: "import os\nos.system(input())\n" }] };
const runIds: string[] = [];
for (let i = 0; i < RUNS; i += 25) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(25, RUNS - i) }, async () => {
      const res = await fetch(`${app.base}/api/v1/runs`, { method: "POST", headers: account.headers, body: JSON.stringify({ agent: "security-scanner", input }) });
      if (res.status !== 201) throw new Error(`POST /runs → ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    }),
  );
  runIds.push(...batch);
}
for (const id of runIds) {
  for (;;) {
    const run = (await (await fetch(`${app.base}/api/v1/runs/${id}`, { headers: account.headers })).json()) as { status: string };
    if (!["QUEUED", "RUNNING"].includes(run.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const runId = runIds.at(-1)!;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await (await browser.newContext({ baseURL: app.base })).newPage();
await page.goto("/signin");
await page.getByLabel("Email").fill(account.email);
await page.getByLabel("Password").fill(account.password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((url) => !url.pathname.startsWith("/signin"));

const pages = ["/runs/" + runId, "/admin/runs/" + runId, "/admin/workspaces/" + account.workspaceId, "/usage", "/runs", "/billing", "/workspace", "/agents", "/admin"];
/** One visit: [time to first byte, time until usable] in ms. */
async function visit(path: string): Promise<[number, number]> {
  const started = performance.now();
  await page.goto(path);
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
  await page.getByText(/^Loading .*…$/).first().waitFor({ state: "detached" });
  const usable = performance.now() - started;
  return [await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseStart), usable];
}

const cell = (ms: number, width = 7) => ms.toFixed(0).padStart(width);
console.log(`${RUNS} runs; 1 cold + ${VISITS} warm visits per page (ms)`);
console.log(`${"page".padEnd(24)} ${"cold TTFB".padStart(9)} ${"usable".padStart(7)} │ ${"TTFB p50".padStart(8)} ${"max".padStart(7)} ${"usable p50".padStart(10)} ${"max".padStart(7)}`);
for (const path of pages) {
  const cold = await visit(path);
  const warm = [];
  for (let v = 0; v < VISITS; v++) warm.push(await visit(path));
  const [t, u] = [warm.map((w) => w[0]).sort((a, b) => a - b), warm.map((w) => w[1]).sort((a, b) => a - b)];
  const label = path.replace(runId, ":id").replace(account.workspaceId, ":id");
  console.log(`${label.padEnd(24)} ${cell(cold[0], 9)} ${cell(cold[1])} │ ${cell(percentile(t, 50), 8)} ${cell(t.at(-1)!)} ${cell(percentile(u, 50), 10)} ${cell(u.at(-1)!)}`);
}

await browser.close();
await app.stop();
process.exit(0);
