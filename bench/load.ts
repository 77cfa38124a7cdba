// npm run bench:load   (BENCH_RPS=30 BENCH_SECONDS=30 BENCH_SKIP_BUILD=1)
//
// Issue 8's load benchmark: a production build (`next start`) against the fake
// Anthropic (answers in ~50 ms), driven open-loop at BENCH_RPS requests a
// second for BENCH_SECONDS — 50% catalog searches, 30% runs (POST /api/v1/runs,
// not awaited), 20% usage summaries — then waits for every accepted run to
// end and checks the books: runs lost (accepted, never terminal), runs charged
// twice, failed runs charged, ledger invariants. Prints per endpoint: requests,
// error rate, p50/p95/p99 latency.
import { startFakeAnthropic } from "../tests/fakes/anthropic-server";
import { benchApiKey, percentile, rssMb, startProductionServer } from "./prod-server";

const RPS = Number(process.env.BENCH_RPS ?? 30);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

const fake = await startFakeAnthropic();
const answer = JSON.stringify({ summary: "No findings.", counts: { critical: 0, high: 0, medium: 0, low: 0 }, findings: [] });
fake.script({ kind: "message", blocks: [{ type: "text", text: answer }], usage: { input: 900, output: 40 }, delayMs: 2 });
const app = await startProductionServer("agora_bench_load", { ANTHROPIC_API_KEY: "sk-ant-bench-not-real", ANTHROPIC_BASE_URL: fake.url });
const headers = await benchApiKey();
const { getDb } = await import("../lib/db/client");
const { checkLedgerInvariants } = await import("../lib/ledger/invariants");
const db = getDb();

type Kind = "catalog" | "run" | "usage";
const results: Record<Kind, { ms: number[]; errors: number; statuses: Record<number, number> }> = { catalog: { ms: [], errors: 0, statuses: {} }, run: { ms: [], errors: 0, statuses: {} }, usage: { ms: [], errors: 0, statuses: {} } };
const accepted: string[] = [];
const queries = ["security", "report", "incident", "csv", "deploy", "knowledge", "ticket", "audit"];

async function once(kind: Kind, i: number) {
  const started = performance.now();
  let status = 0;
  try {
    if (kind === "catalog") status = (await fetch(`${app.base}/api/v1/agents?q=${queries[i % queries.length]}`, { headers })).status;
    else if (kind === "usage") status = (await fetch(`${app.base}/api/v1/usage/summary`, { headers })).status;
    else {
      const res = await fetch(`${app.base}/api/v1/runs`, { method: "POST", headers, body: JSON.stringify({ agent: "security-scanner", input: { files: [{ path: `f${i}.py`, content: "print(1)\n" }] } }) });
      status = res.status;
      if (status === 201) accepted.push(((await res.json()) as { id: string }).id);
      else await res.text();
    }
  } catch {
    status = 599;
  }
  const r = results[kind];
  r.ms.push(performance.now() - started);
  r.statuses[status] = (r.statuses[status] ?? 0) + 1;
  if (status >= 400) r.errors++;
}

try {
  // Warm up routes and pools.
  const kinds: Kind[] = ["catalog", "usage", "run"];
  await Promise.all(Array.from({ length: 10 }, (_, i) => once(kinds[i % 3]!, i)));
  for (const r of Object.values(results)) Object.assign(r, { ms: [], errors: 0, statuses: {} });
  accepted.length = 0;

  const total = RPS * SECONDS;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RPS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const roll = i % 10;
    inFlight.push(once(roll < 5 ? "catalog" : roll < 8 ? "run" : "usage", i));
  }
  await Promise.all(inFlight);
  const offeredSeconds = (performance.now() - t0) / 1000;

  // Every accepted run must end; then the books must balance.
  const deadline = Date.now() + 120_000;
  let open = accepted.length;
  while (Date.now() < deadline && (open = await db.run.count({ where: { id: { in: accepted }, status: { in: ["QUEUED", "RUNNING"] } } })) > 0) await new Promise((r) => setTimeout(r, 500));
  const doubles = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT "runId" FROM "Transfer" WHERE "kind" = 'POST_PENDING' AND "runId" = ANY(${accepted}) GROUP BY "runId" HAVING count(*) > 1) d`;
  const failedCharged = await db.run.count({ where: { id: { in: accepted }, status: "FAILED", priceMicros: { gt: 0 } } });
  const byStatus = await db.run.groupBy({ by: ["status"], where: { id: { in: accepted } }, _count: true });
  const violations = await checkLedgerInvariants(db);

  console.log(`\nload: ${RPS} req/s offered for ${SECONDS} s (${total} requests in ${offeredSeconds.toFixed(1)} s), server RSS ${rssMb(app.pid)} MB\n`);
  console.log("| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | statuses |\n|---|---|---|---|---|---|---|");
  for (const [kind, r] of Object.entries(results)) {
    const ms = [...r.ms].sort((a, b) => a - b);
    console.log(`| ${kind} | ${ms.length} | ${((100 * r.errors) / Math.max(1, ms.length)).toFixed(2)}% | ${percentile(ms, 50).toFixed(1)} | ${percentile(ms, 95).toFixed(1)} | ${percentile(ms, 99).toFixed(1)} | ${JSON.stringify(r.statuses)} |`);
  }
  console.log(`\nruns accepted ${accepted.length}: ${byStatus.map((s) => `${s.status} ${s._count}`).join(", ")}; lost (not terminal after 120 s) ${open}; charged twice ${Number(doubles[0]!.n)}; failed but charged ${failedCharged}; ledger invariants ${violations.length ? `VIOLATED ${JSON.stringify(violations)}` : "hold"}`);
} finally {
  await app.stop();
  await fake.close();
  process.exit(0);
}
