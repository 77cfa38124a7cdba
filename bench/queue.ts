// npm run bench:queue   (BENCH_RUNS=300 BENCH_LEVELS=10,50; BENCH_SKIP_BUILD=1 reuses the last build)
//
// The run engine on pg-boss (issue 17), in one run on one database: the
// production server alone (AGORA_ROLE=all), then a web-only server
// (AGORA_ROLE=web) with one worker process (scripts/worker.ts). For each
// concurrency level, N Security Scanner runs against a fake Anthropic that
// answers at once, created with POST /api/v1/runs and followed over SSE to
// `usage`: runs/s, end-to-end p50/p99 (ms), and accept→start p50/p99 from the
// database (Run.startedAt − Run.createdAt: the time a run waits for a worker).
// Worker slots are the defaults (AGORA_WORKER_CONCURRENCY per run queue, plus
// the fast lane) unless set in the environment. Ends by stopping everything
// with SIGTERM and checks each process exited 0, leaving no child behind.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { benchAccount, percentile as pct, rssMb, startProductionServer } from "./prod-server";
import { benchAnthropic, benchRun, pool } from "./run-client";
import { startTestDatabase } from "../tests/helpers/test-database";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const LEVELS = (process.env.BENCH_LEVELS ?? "10,50").split(",").map(Number);

const { fake, env: anthropicEnv } = await benchAnthropic();
// As `npm start` runs it: SIGTERM goes to the app's graceful shutdown (lib/runs/shutdown.ts), not Next's.
const serverEnv = { ...anthropicEnv, NEXT_MANUAL_SIG_HANDLE: "true" };
const database = await startTestDatabase("agora_bench_queue");
const children = (pid: number) => spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
const shutdowns: string[] = [];
const leftBehind: number[] = [];

/** Stops a process tree with `stop`, noting how it went: exit code, time, children still alive after. */
async function stopTree(label: string, pid: number, stop: () => Promise<number | null>) {
  const tree = [pid, ...children(pid)];
  const started = performance.now();
  const code = await stop();
  shutdowns.push(`${label}: exit ${code ?? "by signal"} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // A child may still be on its way out when its parent's exit is reported: give the tree 5 s.
  for (let i = 0; i < 50 && tree.some((p) => existsSync(`/proc/${p}`)); i++) await new Promise((r) => setTimeout(r, 100));
  leftBehind.push(...tree.filter((p) => existsSync(`/proc/${p}`)));
}

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  const worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { env: { ...env, AGORA_ROLE: "worker" }, stdio: ["ignore", "ignore", "inherit"] });
  worker.once("exit", (code, signal) => code !== 0 && console.error(`worker exited: ${code ?? signal}`));
  return worker;
}

const stopWorker = (worker: ChildProcess) => async () => {
  worker.kill("SIGTERM");
  await new Promise((r) => (worker.exitCode !== null || worker.signalCode !== null ? r(null) : worker.once("exit", r)));
  return worker.exitCode;
};

let account: Awaited<ReturnType<typeof benchAccount>> | undefined;
const rows: string[] = [];

/** The levels against one deployment: `base` takes the runs, `pids` are its processes (for RSS). */
async function measure(role: string, base: string, pids: number[]) {
  const { getDb } = await import("../lib/db/client");
  account ??= await benchAccount();
  const { headers, workspaceId } = account;
  await pool(30, 5, () => benchRun(base, headers)); // warm-up: JIT, connection pools, a worker that is still starting
  for (const c of LEVELS) {
    const failures: string[] = [];
    const wall = performance.now();
    const done = (await pool(RUNS, c, () => benchRun(base, headers).catch((err: Error) => void failures.push(err.message.split("\n")[0]!)))).filter((r) => r !== undefined);
    const seconds = (performance.now() - wall) / 1000;
    const load = loadavg()[0]!.toFixed(1);
    const e2e = done.map((r) => r.ms).sort((a, b) => a - b);
    const posts = done.map((r) => r.postMs).sort((a, b) => a - b);
    const runs = await getDb().run.findMany({ where: { id: { in: done.map((r) => r.id) } }, select: { createdAt: true, startedAt: true } });
    const wait = runs.flatMap((r) => (r.startedAt ? [r.startedAt.getTime() - r.createdAt.getTime()] : [])).sort((a, b) => a - b);
    const live = await getDb().run.count({ where: { workspaceId, status: { in: ["QUEUED", "RUNNING"] } } });
    rows.push(
      [role, c, (done.length / seconds).toFixed(1), pct(e2e, 50).toFixed(1), pct(e2e, 99).toFixed(1), pct(wait, 50), pct(wait, 99), pct(posts, 50).toFixed(1), `${pids.reduce((mb, pid) => mb + rssMb(pid), 0)} MB`, load]
        .map((v, i) => String(v).padEnd([12, 6, 8, 10, 10, 14, 14, 11, 9, 6][i]!))
        .join("") + (failures.length || live ? `  ${failures.length} failed, ${live} still live${failures.length ? `: ${[...new Set(failures)].slice(0, 3).join(" | ")}` : ""}` : ""),
    );
  }
}

try {
  const all = await startProductionServer("agora_bench_queue", serverEnv, { database });
  await measure("all", all.base, [all.pid]).finally(() => stopTree("server (all)", all.pid, all.stop));

  const web = await startProductionServer("agora_bench_queue", { ...serverEnv, AGORA_ROLE: "web" }, { database });
  const worker = startWorker(web.env);
  await measure("web+worker", web.base, [web.pid, worker.pid!]).finally(async () => {
    await stopTree("worker", worker.pid!, stopWorker(worker));
    await stopTree("server (web)", web.pid, web.stop);
  });

  const slots = `${process.env.AGORA_WORKER_CONCURRENCY ?? "16 (default)"} + fast lane ${process.env.AGORA_WORKER_FAST_LANE ?? "1 (default)"}`;
  console.log(`\n${RUNS} runs per level, Security Scanner, one model turn, fake answers at once; worker slots per run queue: ${slots}`);
  console.log("times in ms; start = accept→start (Run.startedAt − Run.createdAt); RSS = server + worker\n");
  console.log("role        conc  runs/s  e2e p50   e2e p99   start p50     start p99     POST p50   RSS      load1");
  for (const row of rows) console.log(row);
  console.log(`\nshutdown: ${shutdowns.join("; ")}; processes left behind: ${leftBehind.length ? leftBehind.join(", ") : "none"}`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await (await import("../lib/db/client")).getDb().$disconnect();
  await database.stop();
  await fake.close();
  process.exit();
}
