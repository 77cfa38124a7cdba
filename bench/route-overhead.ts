// npm run bench:route-overhead   (BENCH_REQUESTS=2000; BENCH_SKIP_BUILD=1 reuses the last build;
// BENCH_PROFILE=1 writes the server's CPU profile to /tmp/prof)
//
// What a request costs the production server before any of our work (issue 18
// item 5): its CPU per request, from /proc/<pid>/stat of its process tree, net
// of the idle background (the job engine polling) measured first. Three
// requests, each BENCH_REQUESTS times, 4 at a time, after 200 to warm up:
// - GET /api/health/live: Next's routing and response alone (no wrapper);
// - GET /api/v1/runs/:id without a key: Next + the route wrapper, a 401 (no database);
// - GET /api/v1/runs/:id with an API key: + the caller, the rate limit and the run's read.
// The server logs at its default level (info: one line per request) to /dev/null;
// what one such line costs is measured first, in this process.
import { Writable } from "node:stream";
import { createLogger } from "../lib/observability/log";
import { treeCpuMs } from "./process-cpu";
import { benchApiKey, startProductionServer } from "./prod-server";
import { benchAnthropic, benchRun, pool } from "./run-client";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CONCURRENCY = 4;

/** µs per request log line (the route wrapper's fields), written to a sink that drops it. */
function logLineMicros(): number {
  const logger = createLogger(new Writable({ write: (_chunk, _encoding, done) => done() })).child({}, { level: "info" });
  const fields = { requestId: "6f1c2d3e-5a4b-4c3d-9e8f-1234567890ab", method: "GET", route: "/api/v1/runs/[id]", status: 200, durationMs: 3, workspaceId: "cmabcdef0123456789" };
  for (let i = 0; i < 2_000; i++) logger.info(fields, "request");
  const at = performance.now();
  for (let i = 0; i < 20_000; i++) logger.info(fields, "request");
  return ((performance.now() - at) * 1000) / 20_000;
}
console.log(`request log line: ${logLineMicros().toFixed(1)} µs (in this process)`);

const { fake, env: anthropicEnv } = await benchAnthropic();
const app = await startProductionServer("agora_route_bench", { ...anthropicEnv, AGORA_LOG_LEVEL: "info" }, { profile: Boolean(process.env.BENCH_PROFILE) });
const headers = await benchApiKey();
const { id } = await benchRun(app.base, headers);

async function idleCpuPerMs(): Promise<number> {
  const [cpu0, at] = [treeCpuMs(app.pid), performance.now()];
  await new Promise((r) => setTimeout(r, 3_000));
  return (treeCpuMs(app.pid) - cpu0) / (performance.now() - at);
}

async function measure(name: string, path: string, expected: number, requestHeaders: Record<string, string>, idle: number) {
  const get = async () => {
    const res = await fetch(`${app.base}${path}`, { headers: requestHeaders });
    await res.arrayBuffer();
    if (res.status !== expected) throw new Error(`${path} → ${res.status}, expected ${expected}`);
  };
  await pool(200, CONCURRENCY, get);
  const [cpu0, at] = [treeCpuMs(app.pid), performance.now()];
  await pool(REQUESTS, CONCURRENCY, get);
  const ms = performance.now() - at;
  const cpuMs = treeCpuMs(app.pid) - cpu0 - idle * ms;
  console.log(`| ${name} | ${Math.round((cpuMs * 1000) / REQUESTS)} | ${Math.round(REQUESTS / (ms / 1000))} |`);
}

try {
  const idle = await idleCpuPerMs();
  console.log(`server CPU per request: ${REQUESTS} requests each, ${CONCURRENCY} at a time (idle background ${(idle * 1000).toFixed(1)} ms/s, subtracted)\n`);
  console.log("| request | server CPU µs/request | requests/s |\n|---|---|---|");
  await measure("GET /api/health/live", "/api/health/live", 200, {}, idle);
  await measure("GET /api/v1/runs/:id, no key (401)", `/api/v1/runs/${id}`, 401, {}, idle);
  await measure("GET /api/v1/runs/:id, API key", `/api/v1/runs/${id}`, 200, { authorization: headers.authorization! }, idle);
} finally {
  await app.stop();
  await fake.close();
}
process.exit(0);
