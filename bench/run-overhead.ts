// npm run bench:run-overhead   (BENCH_RUNS=300 BENCH_LEVELS=1,10,50 — at most 50: the Enterprise tier's concurrent runs;
//   BENCH_RATE=100 BENCH_RATE_SECONDS=20 BENCH_MAX_IN_FLIGHT=50 for the open loop, BENCH_RATE=0 to skip it;
//   BENCH_TOP_STATEMENTS=N prints each level's N most called statements)
//
// The platform's overhead per run (issues 3 and 18), against the floor: a
// production build (`next start`) and the floor server (bench/floor/: node:http
// + pg doing only a metered run's durable work) on the same database, against a
// fake Anthropic that answers at once. For each concurrency level both servers
// take N runs in each of the two request forms (which goes first alternates per
// level): two requests — POST /api/v1/runs, then its SSE stream to the closing
// `usage` event — and one, "stream": true (rows "… 1-req"). Overhead =
// that end-to-end time minus the median time of the same Messages request made
// with the SDK straight to the fake. Per run: the app server's CPU (its process
// tree) and PostgreSQL's (every process of the bench's own cluster), from
// /proc/<pid>/stat; SQL statements (pg_stat_statements, BEGIN/COMMIT left out)
// and transactions (pg_stat_database). The database and SQL figures are net of
// the idle background (Agora's job engine polling, PostgreSQL's own processes),
// measured before the levels with both servers up and no runs. Then an open loop
// (bench/run-client.ts openLoop): runs started at a fixed rate whatever the ones in
// flight do, latency from each start's scheduled time, for each server and form.
// Everything (PostgreSQL, both servers, the fake, this client) shares this machine's cores.
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { startTestDatabase } from "../tests/helpers/test-database";
import { startFloorProcess } from "./floor/process";
import { postmasterPid, treeCpuMs } from "./process-cpu";
import { benchApiKey, percentile as pct, rssMb, startProductionServer } from "./prod-server";
import { benchAnthropic, benchRun, benchRunInput as input, openLoop, pool, type RunForm } from "./run-client";
import { sqlCounters } from "./sql-counters";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const LEVELS = (process.env.BENCH_LEVELS ?? "1,10,50").split(",").filter(Boolean).map(Number);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 20);
const MAX_IN_FLIGHT = Number(process.env.BENCH_MAX_IN_FLIGHT ?? 50);

const { fake, env: anthropicEnv } = await benchAnthropic();
// A cluster of its own, so that it preloads pg_stat_statements (the tests' shared one may already be running without it).
const database = await startTestDatabase("agora_bench", {
  dataDir: path.join(process.cwd(), ".data", "bench-postgres"),
  postgresFlags: ["-c", "shared_preload_libraries=pg_stat_statements"],
});
const app = await startProductionServer("agora_bench", { ...anthropicEnv, AGORA_WORKER_CONCURRENCY: process.env.AGORA_WORKER_CONCURRENCY ?? "64" }, { profile: Boolean(process.env.BENCH_PROFILE), database });
// A workspace with an API key, on Enterprise limits and with credits for every run: both servers use it.
const headers = await benchApiKey();
const floor = await startFloorProcess({ DATABASE_URL: database.url, ...anthropicEnv, AGORA_DB_POOL_MAX: app.env.AGORA_DB_POOL_MAX! });
const counters = await sqlCounters(database.url);
const postgres = postmasterPid(database.dataDir);

type Server = { name: string; base: string; pid: number; form: RunForm };
// Each server in each request form, one row each; the ratio rows pair them up.
const servers: Server[] = [
  { name: "Agora", base: app.base, pid: app.pid, form: "two" },
  { name: "floor", base: floor.url, pid: floor.pid, form: "two" },
  { name: "Agora 1-req", base: app.base, pid: app.pid, form: "one" },
  { name: "floor 1-req", base: floor.url, pid: floor.pid, form: "one" },
];
const ratios = [
  { name: "Agora/floor", agora: "Agora", floor: "floor" },
  { name: "1-req A/f", agora: "Agora 1-req", floor: "floor 1-req" },
];

const sdk = new Anthropic({ apiKey: "sk-ant-bench-not-real", baseURL: fake.url, maxRetries: 0 });
async function direct(): Promise<number> {
  const started = performance.now();
  await sdk.messages
    .stream({ model: "claude-sonnet-5-5", max_tokens: 4096, system: "x".repeat(2_000), messages: [{ role: "user", content: JSON.stringify(input) }] })
    .finalMessage();
  return performance.now() - started;
}

/** PostgreSQL CPU ms, statements and transactions per second with both servers up and no runs. */
async function idleRates() {
  await counters.start();
  const pg0 = treeCpuMs(postgres);
  const at = performance.now();
  const sql = await counters.read();
  return { pgCpuMs: (treeCpuMs(postgres) - pg0) / ((performance.now() - at) / 1000), statements: sql.statements / sql.statementSeconds, transactions: sql.transactions / sql.transactionSeconds };
}
type Idle = Awaited<ReturnType<typeof idleRates>>;

async function level(server: Server, concurrency: number, baseP50: number, idle: Idle) {
  await counters.start();
  const cpu0 = { app: treeCpuMs(server.pid), pg: treeCpuMs(postgres) };
  const posts: number[] = [];
  const wall = performance.now();
  const times = (
    await pool(RUNS, concurrency, async () => {
      const { postMs, ms } = await benchRun(server.base, headers, server.form);
      posts.push(postMs);
      return ms;
    })
  ).sort((a, b) => a - b);
  const seconds = (performance.now() - wall) / 1000;
  const appCpu = treeCpuMs(server.pid) - cpu0.app;
  const pgCpu = treeCpuMs(postgres) - cpu0.pg - idle.pgCpuMs * seconds;
  const rss = rssMb(server.pid);
  const sql = await counters.read();
  if (process.env.BENCH_TOP_STATEMENTS) {
    console.log(`\n${server.name} at concurrency ${concurrency}: statements per run (calls ÷ runs), most called first`);
    for (const t of await counters.top(Number(process.env.BENCH_TOP_STATEMENTS))) console.log(`${(t.calls / RUNS).toFixed(2).padStart(7)}  ${(t.ms / t.calls).toFixed(2).padStart(7)} ms  ${t.query}`);
  }
  const over = times.map((t) => t - baseP50);
  posts.sort((a, b) => a - b);
  return {
    runsPerSecond: RUNS / seconds,
    e2eP50: pct(times, 50),
    overP50: pct(over, 50),
    overP95: pct(over, 95),
    overP99: pct(over, 99),
    appCpuMs: appCpu / RUNS,
    pgCpuMs: pgCpu / RUNS,
    statements: (sql.statements - idle.statements * sql.statementSeconds) / RUNS,
    transactions: (sql.transactions - idle.transactions * sql.transactionSeconds) / RUNS,
    rssMb: rss,
    postP50: pct(posts, 50),
  };
}
type Figures = Awaited<ReturnType<typeof level>>;

const columns: [string, keyof Figures, number][] = [
  ["runs/s", "runsPerSecond", 0],
  ["e2e p50", "e2eP50", 1],
  ["overhead p50", "overP50", 1],
  ["p95", "overP95", 1],
  ["p99", "overP99", 1],
  ["app CPU ms/run", "appCpuMs", 2],
  ["PG CPU ms/run", "pgCpuMs", 2],
  ["SQL stmts/run", "statements", 1],
  ["xacts/run", "transactions", 1],
  ["RSS MB", "rssMb", 0],
  ["POST p50", "postP50", 1],
];
const row = (label: string, cells: string[]) => label.padEnd(13) + cells.map((c, i) => c.padStart(Math.max(columns[i]![0].length, 7) + 2)).join("");

function printLevel(concurrency: number, figures: Record<string, Figures>) {
  console.log(`\nconcurrency ${concurrency}`);
  console.log(row("", columns.map(([title]) => title)));
  for (const { name } of servers) console.log(row(name, columns.map(([, key, digits]) => figures[name]![key].toFixed(digits))));
  for (const r of ratios) {
    const [a, f] = [figures[r.agora]!, figures[r.floor]!];
    console.log(row(r.name, columns.map(([, key]) => (key === "rssMb" || key === "e2eP50" || key === "postP50" ? "" : `${(a[key] / f[key]).toFixed(2)}×`))));
  }
}

/** RATE runs a second for RATE_SECONDS, on one server in one form: latency and what got through. */
async function openLevel(server: Server) {
  const cpu0 = treeCpuMs(server.pid);
  const r = await openLoop(RATE, RATE_SECONDS, MAX_IN_FLIGHT, () => benchRun(server.base, headers, server.form));
  const done = r.latencies.length;
  const at = (p: number) => (done ? pct(r.latencies, p) : NaN); // NaN: no run got through
  const cells = [r.offered / RATE_SECONDS, done / r.elapsed, at(50), at(95), at(99), (treeCpuMs(server.pid) - cpu0) / done];
  console.log(openRow(server.name, [...cells.map((v, i) => v.toFixed(i < 2 ? 1 : 2)), String(r.dropped), String(r.failures.length)]));
  if (r.failures.length) console.log(`  first failure: ${r.failures[0]}`);
}
const openColumns = ["offered/s", "achieved/s", "p50 ms", "p95 ms", "p99 ms", "app CPU ms/run", "dropped", "failed"];
const openRow = (label: string, cells: string[]) => label.padEnd(13) + cells.map((c, i) => c.padStart(openColumns[i]!.length + 2)).join("");

try {
  for (const server of servers) await pool(30, 5, () => benchRun(server.base, headers, server.form)); // warm-up: JIT, connection pools, route compilation
  await pool(30, 5, direct);
  const baseline = (await pool(200, 1, direct)).sort((a, b) => a - b);
  const baseP50 = pct(baseline, 50);
  console.log(`\nSDK → fake Anthropic directly: p50 ${baseP50.toFixed(2)} ms, p99 ${pct(baseline, 99).toFixed(2)} ms (${baseline.length} requests)`);
  const idle = await idleRates();
  console.log(`Idle background (both servers up, no runs): PostgreSQL ${idle.pgCpuMs.toFixed(1)} ms CPU/s, ${idle.statements.toFixed(1)} statements/s, ${idle.transactions.toFixed(1)} transactions/s — subtracted below`);
  console.log(`${RUNS} runs per level and server, Security Scanner, one model turn, fake answers at once; times in ms`);
  for (const [i, c] of LEVELS.entries()) {
    const figures: Record<string, Figures> = {};
    for (const server of i % 2 ? [...servers].reverse() : servers) figures[server.name] = await level(server, c, baseP50, idle);
    printLevel(c, figures);
  }
  if (RATE > 0) {
    console.log(`\nopen loop: ${RATE} runs/s offered for ${RATE_SECONDS} s, at most ${MAX_IN_FLIGHT} in flight (a start past that is dropped); latency from each start's scheduled time, end to end`);
    console.log(openRow("", openColumns));
    for (const server of servers) await openLevel(server);
  }
} catch (err) {
  console.error("bench failed:", err);
  process.exitCode = 1;
} finally {
  await counters.close();
  await floor.stop();
  await app.stop();
  await database.stop();
  await fake.close();
  process.exit(); // with process.exitCode: 1 when the bench failed
}
