// npm run bench:usage   (BENCH_RUNS=1000000 BENCH_DAYS=90 BENCH_REQUESTS=300)
//
// Issue 5's usage benchmark: one workspace with 1,000,000 runs over 90 days
// (10 agents × 3 models × 4 API keys + members), its daily rollup built the way
// settlement builds it (one row per day × agent × model × key, summed from the
// runs), then GET /api/v1/usage/summary and /usage/daily for the last 30 days
// through the real route handlers (API-key auth, rate limit, validation,
// query), sequentially. Prints p50/p95/p99 per endpoint. Goal: p95 ≤ 50 ms.
import { randomBytes } from "node:crypto";
import { NextRequest } from "next/server";
import { prepareDatabase } from "../lib/db/prepare-database";
import { startTestDatabase } from "../tests/helpers/test-database";

const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 90);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

const database = await startTestDatabase("agora_bench_usage");
Object.assign(process.env, { DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString("base64url") });
await prepareDatabase(database.url);
const { getDb } = await import("../lib/db/client");
const { signUp } = await import("../lib/accounts/sign-up");
const { createApiKey } = await import("../lib/api-keys/api-keys");
const { principalFromUser } = await import("../lib/auth/principal");
const summaryRoute = (await import("../app/api/v1/usage/summary/route")).GET;
const dailyRoute = (await import("../app/api/v1/usage/daily/route")).GET;
const db = getDb();

const { user, workspace } = await signUp({ email: `usage-bench-${Date.now()}@bench.agora.dev`, password: "bench password 1", name: "Usage bench" }, { ip: null, baseUrl: "http://localhost:3000" });
await db.workspace.update({ where: { id: workspace.id }, data: { tierCode: "enterprise" } }); // 10,000 requests/min: the bench measures queries, not refusals
const owner = await principalFromUser(user.id);
const keys = await Promise.all(Array.from({ length: 4 }, (_, i) => createApiKey(owner, { name: `key ${i}` })));
const pkgs = await db.agentPackage.findMany({ distinct: ["slug"], select: { id: true, slug: true, version: true } });

let t = performance.now();
// Runs: spread evenly over the last DAYS days; statuses 90/7/3 % succeeded/failed/canceled.
await db.$executeRawUnsafe(`
  INSERT INTO "Run" ("id", "workspaceId", "apiKeyId", "userId", "packageId", "agentSlug", "packageVersion", "status", "input", "provider", "model",
    "inputTokens", "outputTokens", "providerCostMicros", "priceMicros", "createdAt", "startedAt", "finishedAt")
  SELECT 'bench' || g, $1, (ARRAY[NULL, $2, $3, $4, $5])[1 + (g / 10) % 5], CASE WHEN (g / 10) % 5 = 0 THEN $6 END,
    p.id, p.slug, p.version,
    (CASE WHEN g % 100 < 90 THEN 'SUCCEEDED' WHEN g % 100 < 97 THEN 'FAILED' ELSE 'CANCELED' END)::"RunStatus",
    '{}'::jsonb, 'anthropic', (ARRAY['claude-sonnet-5-5', 'claude-haiku-4-5', 'claude-opus-5-5'])[1 + (g / 50) % 3],
    1000 + g % 5000, 100 + g % 900, 3000 + g % 9000, CASE WHEN g % 100 < 90 THEN 6000 + g % 20000 WHEN g % 100 < 97 THEN 0 ELSE 4000 END,
    ts, ts, ts + interval '3 seconds'
  FROM generate_series(1, $7) g
  CROSS JOIN LATERAL (SELECT now() - (g::float / $7) * ($8 || ' days')::interval AS ts) t
  JOIN (SELECT row_number() OVER (ORDER BY slug) - 1 AS n, id, slug, version FROM "AgentPackage" WHERE id = ANY($9)) p ON p.n = g % $10`,
  workspace.id, keys[0]!.id, keys[1]!.id, keys[2]!.id, keys[3]!.id, user.id, RUNS, String(DAYS), pkgs.map((p) => p.id), pkgs.length,
);
const seeded = performance.now() - t;
t = performance.now();
// The rollup settlement maintains, rebuilt from the runs.
await db.$executeRaw`
  INSERT INTO "UsageDaily" ("workspaceId", "day", "agentSlug", "model", "apiKeyId", "runs", "succeeded", "failed", "canceled", "inputTokens", "outputTokens", "costMicros", "priceMicros")
  SELECT "workspaceId", ("finishedAt" AT TIME ZONE 'UTC')::date, "agentSlug", "model", coalesce("apiKeyId", ''), count(*),
    count(*) FILTER (WHERE "status" = 'SUCCEEDED'), count(*) FILTER (WHERE "status" = 'FAILED'), count(*) FILTER (WHERE "status" = 'CANCELED'),
    sum("inputTokens"), sum("outputTokens"), sum("providerCostMicros"), sum("priceMicros")
  FROM "Run" WHERE "workspaceId" = ${workspace.id} GROUP BY 1, 2, 3, 4, 5`;
await db.$executeRawUnsafe(`ANALYZE "UsageDaily"; ANALYZE "Run";`);
const rolled = performance.now() - t;
const rollupRows = await db.usageDaily.count({ where: { workspaceId: workspace.id } });

const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
async function time(handler: typeof summaryRoute, path: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const req = new NextRequest(`http://127.0.0.1${path}`, { headers: { authorization: `Bearer ${keys[i % 4]!.secret}` } });
    const started = performance.now();
    const res = await handler(req, { params: Promise.resolve({}) });
    await res.text();
    samples.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  return samples.sort((a, b) => a - b);
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!.toFixed(1);
await time(summaryRoute, `/api/v1/usage/summary?from=${from}`); // warm-up
const results = [
  ["GET /api/v1/usage/summary (30 days)", await time(summaryRoute, `/api/v1/usage/summary?from=${from}`)],
  ["GET /api/v1/usage/daily?groupBy=agent (30 days)", await time(dailyRoute, `/api/v1/usage/daily?from=${from}&groupBy=agent`)],
  ["GET /api/v1/usage/daily?groupBy=key (30 days)", await time(dailyRoute, `/api/v1/usage/daily?from=${from}&groupBy=key`)],
] as const;

console.log(`usage: ${RUNS.toLocaleString("en")} runs over ${DAYS} days in one workspace (seeded in ${(seeded / 1000).toFixed(1)} s; rollup: ${rollupRows.toLocaleString("en")} rows, built in ${(rolled / 1000).toFixed(1)} s)\n`);
console.log("| endpoint | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|");
for (const [name, xs] of results) console.log(`| ${name} | ${pct(xs, 0.5)} | ${pct(xs, 0.95)} | ${pct(xs, 0.99)} |`);
await db.$disconnect();
const { rateLimitStore } = await import("../lib/rate-limits/store");
await rateLimitStore().close();
await database.stop();
