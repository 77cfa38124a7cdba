// npm run bench:run-overhead   (BENCH_RUNS=300 BENCH_LEVELS=1,10,50 — at most 50: the Enterprise tier's concurrent runs)
//
// The platform's overhead per run (issue 3): a production build (`next start`)
// against a fake Anthropic that answers at once. For each concurrency level,
// N runs are created with POST /api/v1/runs and followed over SSE to their
// closing `usage` event. Overhead = that end-to-end time minus the median time
// of the same Messages request made with the SDK straight to the fake. Prints
// runs/s, overhead p50/p95/p99 and the server's RSS. Everything (PostgreSQL,
// Next, the fake, this client) shares this machine's cores.
import Anthropic from "@anthropic-ai/sdk";
import { benchApiKey, percentile as pct, rssMb, startProductionServer } from "./prod-server";
import { benchAnthropic, benchRun, benchRunInput as input, pool } from "./run-client";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const LEVELS = (process.env.BENCH_LEVELS ?? "1,10,50").split(",").map(Number);

const { fake, env: anthropicEnv } = await benchAnthropic();

const app = await startProductionServer("agora_bench", { ...anthropicEnv, AGORA_WORKER_CONCURRENCY: process.env.AGORA_WORKER_CONCURRENCY ?? "64" }, { profile: Boolean(process.env.BENCH_PROFILE) });
const base = app.base;

// A workspace with an API key, on Enterprise limits and with credits for every run.
const headers = await benchApiKey();

const postTimes: number[] = [];
async function oneRun(): Promise<number> {
  const { postMs, ms } = await benchRun(base, headers);
  postTimes.push(postMs);
  return ms;
}

const sdk = new Anthropic({ apiKey: "sk-ant-bench-not-real", baseURL: fake.url, maxRetries: 0 });
async function direct(): Promise<number> {
  const started = performance.now();
  await sdk.messages
    .stream({ model: "claude-sonnet-5-5", max_tokens: 4096, system: "x".repeat(2_000), messages: [{ role: "user", content: JSON.stringify(input) }] })
    .finalMessage();
  return performance.now() - started;
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
      `${String(c).padEnd(13)}${(RUNS / seconds).toFixed(0).padEnd(9)}${pct(times, 50).toFixed(1).padEnd(10)}${pct(over, 50).toFixed(1).padEnd(15)}${pct(over, 95).toFixed(1).padEnd(10)}${pct(over, 99).toFixed(1).padEnd(10)}${rssMb(app.pid)} MB   (POST /runs p50 ${pct(posts, 50).toFixed(1)} ms)`,
    );
  }
} finally {
  await app.stop();
  await fake.close();
  process.exit(0);
}
