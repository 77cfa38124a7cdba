// npm run bench:run-overhead   (BENCH_RUNS=300 BENCH_LEVELS=1,10,50 — at most 50: the Enterprise tier's concurrent runs)
//
// The platform's overhead per run (issue 3): a production build (`next start`)
// against a fake Anthropic that answers at once. For each concurrency level,
// N runs are created with POST /api/v1/runs and followed over SSE to their
// closing `usage` event. Overhead = that end-to-end time minus the median time
// of the same Messages request made with the SDK straight to the fake. Prints
// runs/s, overhead p50/p95/p99 and the server's RSS. Everything (PostgreSQL,
// Next, the fake, this client) shares this machine's cores.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { startFakeAnthropic } from "../tests/fakes/anthropic-server";
import { startTestDatabase } from "../tests/helpers/test-database";
import { prepareDatabase } from "../lib/db/prepare-database";
import { freePort } from "../lib/db/embedded";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const LEVELS = (process.env.BENCH_LEVELS ?? "1,10,50").split(",").map(Number);

const database = await startTestDatabase("agora_bench");
const fake = await startFakeAnthropic();
const answer = JSON.stringify({ summary: "No findings.", counts: { critical: 0, high: 0, medium: 0, low: 0 }, findings: [] });
fake.script({ kind: "message", blocks: [{ type: "text", text: answer }], usage: { input: 900, output: 40 } });

const port = await freePort();
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  NODE_ENV: "production",
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
  METRICS_TOKEN: randomBytes(24).toString("base64url"),
  NEXT_TELEMETRY_DISABLED: "1",
  ANTHROPIC_API_KEY: "sk-ant-bench-not-real",
  ANTHROPIC_BASE_URL: fake.url,
  AGORA_DB_POOL_MAX: process.env.AGORA_DB_POOL_MAX ?? "20",
  AGORA_RUN_CONCURRENCY: "256",
} as NodeJS.ProcessEnv;
Object.assign(process.env, env);
await prepareDatabase(database.url);

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
if (!process.env.BENCH_SKIP_BUILD) {
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(1);
}
const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []), nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "inherit"], env });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 300 && !(await fetch(`${base}/api/health/live`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));

// A workspace with an API key, made through the app's own code.
const { signUp } = await import("../lib/accounts/sign-up");
const { principalFromUser } = await import("../lib/auth/principal");
const { createApiKey } = await import("../lib/api-keys/api-keys");
const { user, workspace } = await signUp({ email: `bench-${Date.now()}@bench.agora.dev`, password: "bench password 1", name: "Bench" });
// Credits for every run the benchmark makes (the Free tier's $1 would run out), and the
// Enterprise tier's limits (50 concurrent runs, 10,000 runs an hour): the bench measures the run path, not refusals.
const { getDb } = await import("../lib/db/client");
await getDb().workspace.update({ where: { id: workspace.id }, data: { tierCode: "enterprise" } });
const ledger = await import("../lib/ledger/ledger");
await getDb().$transaction(async (tx) =>
  ledger.transfer(tx, { debit: ledger.SYSTEM_ACCOUNTS.promotions, credit: await ledger.walletFor(tx, workspace.id), amount: 1_000_000_000_000n, reason: "grant", workspaceId: workspace.id }),
);
const key = await createApiKey(await principalFromUser(user.id), { name: "bench" });
const headers = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
const input = { files: [{ path: "app.py", content: "print('hello')\n" }] };

const postTimes: number[] = [];
async function oneRun(): Promise<number> {
  const started = performance.now();
  const created = await fetch(`${base}/api/v1/runs`, { method: "POST", headers, body: JSON.stringify({ agent: "security-scanner", input }) });
  if (created.status !== 201) throw new Error(`POST /runs → ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  postTimes.push(performance.now() - started);
  const events = await fetch(`${base}/api/v1/runs/${id}/events`, { headers });
  const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    if (text.includes("event: usage")) break;
  }
  await reader.cancel();
  const elapsed = performance.now() - started;
  if (!text.includes('"status":"SUCCEEDED"')) throw new Error(`run ${id} did not succeed:\n${text.slice(-500)}`);
  return elapsed;
}

const sdk = new Anthropic({ apiKey: "sk-ant-bench-not-real", baseURL: fake.url, maxRetries: 0 });
async function direct(): Promise<number> {
  const started = performance.now();
  await sdk.messages
    .stream({ model: "claude-sonnet-5-5", max_tokens: 4096, system: "x".repeat(2_000), messages: [{ role: "user", content: JSON.stringify(input) }] })
    .finalMessage();
  return performance.now() - started;
}

async function pool<T>(n: number, concurrency: number, task: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next++;
      out.push(await task());
    }
  }));
  return out;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function rssMb(pid: number): number {
  const pids = [pid, ...spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number)];
  let kb = 0;
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return Math.round(kb / 1024);
}

try {
  await pool(30, 5, oneRun); // warm-up: JIT, connection pools, route compilation
  await pool(30, 5, direct);
  postTimes.length = 0;
  const baseline = (await pool(200, 1, direct)).sort((a, b) => a - b);
  const baseP50 = pct(baseline, 50);
  console.log(`\nSDK → fake Anthropic directly: p50 ${baseP50.toFixed(2)} ms, p99 ${pct(baseline, 99).toFixed(2)} ms (${baseline.length} requests)`);
  console.log(`${RUNS} runs per level, Security Scanner, one model turn, fake answers at once\n`);
  console.log("concurrency  runs/s   e2e p50   overhead p50   p95       p99       server RSS");
  for (const c of LEVELS) {
    const wall = performance.now();
    const times = (await pool(RUNS, c, oneRun)).sort((a, b) => a - b);
    const seconds = (performance.now() - wall) / 1000;
    const over = times.map((t) => t - baseP50);
    const posts = postTimes.splice(0).sort((a, b) => a - b);
    console.log(
      `${String(c).padEnd(13)}${(RUNS / seconds).toFixed(0).padEnd(9)}${pct(times, 50).toFixed(1).padEnd(10)}${pct(over, 50).toFixed(1).padEnd(15)}${pct(over, 95).toFixed(1).padEnd(10)}${pct(over, 99).toFixed(1).padEnd(10)}${rssMb(server.pid!)} MB   (POST /runs p50 ${pct(posts, 50).toFixed(1)} ms)`,
    );
  }
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
  await fake.close();
  await database.stop();
  process.exit(0);
}
