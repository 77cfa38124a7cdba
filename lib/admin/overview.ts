import { db } from "@/lib/db/client";
import { microsJson } from "@/lib/money/format";
import { dayOf } from "@/lib/usage/rollup";

// The operators' overview from the usage rollup (every workspace's days) and,
// for durations, the runs that finished in the window (indexed by finishedAt).

const DAY_MS = 86_400_000;
type Totals = { runs: bigint; succeeded: bigint; failed: bigint; revenue: bigint; cost: bigint; workspaces: bigint };

async function windowStats(days: number) {
  const from = new Date(dayOf(new Date()).getTime() - (days - 1) * DAY_MS);
  const [[t], [d]] = await Promise.all([
    db.$queryRaw<Totals[]>`SELECT coalesce(sum("runs"), 0)::bigint AS runs, coalesce(sum("succeeded"), 0)::bigint AS succeeded, coalesce(sum("failed"), 0)::bigint AS failed,
      coalesce(sum("priceMicros"), 0)::bigint AS revenue, coalesce(sum("costMicros"), 0)::bigint AS cost, count(DISTINCT "workspaceId")::bigint AS workspaces
      FROM "UsageDaily" WHERE "day" >= ${from}::date`,
    db.$queryRaw<{ p95: number | null }[]>`SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ("finishedAt" - "startedAt")) * 1000) AS p95
      FROM "Run" WHERE "finishedAt" >= ${from} AND "startedAt" IS NOT NULL`,
  ]);
  const runs = Number(t!.runs);
  const revenue = microsJson(t!.revenue);
  const cost = microsJson(t!.cost);
  return {
    days,
    runs,
    successRate: runs ? Number(t!.succeeded) / runs : null,
    errorRate: runs ? Number(t!.failed) / runs : null,
    revenueMicros: revenue,
    modelCostMicros: cost,
    grossMarginMicros: revenue - cost,
    grossMarginRate: revenue ? (revenue - cost) / revenue : null,
    activeWorkspaces: Number(t!.workspaces),
    p95DurationMs: d?.p95 === null || d?.p95 === undefined ? null : Math.round(Number(d.p95)),
  };
}

export async function adminOverview() {
  const from30 = new Date(dayOf(new Date()).getTime() - 29 * DAY_MS);
  const [today, week, month, perDay, topAgents, topWorkspaces] = await Promise.all([
    windowStats(1),
    windowStats(7),
    windowStats(30),
    db.$queryRaw<{ day: Date; runs: bigint; revenue: bigint; cost: bigint; failed: bigint }[]>`
      SELECT "day", sum("runs")::bigint AS runs, sum("priceMicros")::bigint AS revenue, sum("costMicros")::bigint AS cost, sum("failed")::bigint AS failed
      FROM "UsageDaily" WHERE "day" >= ${from30}::date GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<{ agent: string; runs: bigint; revenue: bigint }[]>`
      SELECT "agentSlug" AS agent, sum("runs")::bigint AS runs, sum("priceMicros")::bigint AS revenue FROM "UsageDaily" WHERE "day" >= ${from30}::date GROUP BY 1 ORDER BY 3 DESC LIMIT 10`,
    db.$queryRaw<{ id: string; name: string; slug: string; runs: bigint; revenue: bigint }[]>`
      SELECT w."id", w."name", w."slug", sum(u."runs")::bigint AS runs, sum(u."priceMicros")::bigint AS revenue
      FROM "UsageDaily" u JOIN "Workspace" w ON w."id" = u."workspaceId" WHERE u."day" >= ${from30}::date GROUP BY 1, 2, 3 ORDER BY 5 DESC LIMIT 10`,
  ]);
  return {
    windows: [today, week, month],
    perDay: perDay.map((r) => ({ day: r.day.toISOString().slice(0, 10), runs: Number(r.runs), revenueMicros: microsJson(r.revenue), modelCostMicros: microsJson(r.cost), failed: Number(r.failed) })),
    topAgents: topAgents.map((r) => ({ agent: r.agent, runs: Number(r.runs), revenueMicros: microsJson(r.revenue) })),
    topWorkspaces: topWorkspaces.map((r) => ({ id: r.id, name: r.name, slug: r.slug, runs: Number(r.runs), revenueMicros: microsJson(r.revenue) })),
  };
}
