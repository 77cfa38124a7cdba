import { db, type DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { DURATION_BOUNDS_MS, percentile, PRICE_BOUNDS_MICROS } from "./histogram";
import { newestVersionFirst } from "./semver";

// Per-version stats of a package (issue 20), read from the usage rollup
// (PackageUsageDaily, PackageHistogramDaily — written by the packages.count
// job, lib/agents/package-counts.ts), never from runs. The window is the last
// STATS_WINDOW_DAYS UTC days, today included (the trust score's window too):
// what a version does now, and a bounded read however old the package is.
// Percentiles come from the summed histograms (lib/packages/histogram.ts:
// interpolated inside a √2-wide bucket); price percentiles are over successful
// runs (what a run that delivers costs), duration over every run.

export const STATS_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/** The first UTC day (as YYYY-MM-DD) of a `days`-day window ending on `at`'s day. */
export function windowStart(at: Date, days: number): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

export type Histograms = { duration: number[]; price: number[] };

/** Each version's histograms summed over the days from `since` (one query, one row per version; `packageIds` null = every package). */
export async function summedHistograms(tx: DbTx, packageIds: string[] | null, since: string): Promise<Map<string, Histograms>> {
  const only = packageIds ? Prisma.sql`AND h."packageId" = ANY(${packageIds}::text[])` : Prisma.empty;
  const rows = await tx.$queryRaw<{ packageId: string; duration: number[] | null; price: number[] | null }[]>`
    SELECT "packageId", array_agg(n ORDER BY i) FILTER (WHERE kind = 'd') AS duration, array_agg(n ORDER BY i) FILTER (WHERE kind = 'p') AS price
    FROM (
      SELECT h."packageId", 'd' AS kind, u.i, sum(u.n)::int AS n FROM "PackageHistogramDaily" h, unnest(h."durationBuckets") WITH ORDINALITY AS u(n, i)
      WHERE h."day" >= ${since}::date ${only} GROUP BY h."packageId", u.i
      UNION ALL
      SELECT h."packageId", 'p', u.i, sum(u.n)::int FROM "PackageHistogramDaily" h, unnest(h."priceBuckets") WITH ORDINALITY AS u(n, i)
      WHERE h."day" >= ${since}::date ${only} GROUP BY h."packageId", u.i
    ) t GROUP BY "packageId"`;
  return new Map(rows.map((r) => [r.packageId, { duration: r.duration ?? [], price: r.price ?? [] }]));
}

/** p50 and p95 of a version's durations (ms) and successful runs' prices (micro-USD); null when it has none. */
export function histogramPercentiles(h: Histograms | undefined) {
  return {
    p50DurationMs: h ? percentile(DURATION_BOUNDS_MS, h.duration, 0.5) : null,
    p95DurationMs: h ? percentile(DURATION_BOUNDS_MS, h.duration, 0.95) : null,
    p50PriceMicros: h ? percentile(PRICE_BOUNDS_MICROS, h.price, 0.5) : null,
    p95PriceMicros: h ? percentile(PRICE_BOUNDS_MICROS, h.price, 0.95) : null,
  };
}

type UsageRow = { packageId: string; runs: number; succeeded: number; failedProvider: number; failedConsumer: number; failedPlatform: number; canceled: number };

/**
 * GET /api/v1/agents/:slug/versions: every PUBLISHED and YANKED version of
 * `slug`, newest first, with its status, publication, yank notice and stats
 * over the window. 404 when the slug has none.
 */
export async function versionStats(slug: string, at: Date = new Date()) {
  const versions = newestVersionFirst(
    await db.agentPackage.findMany({
      where: { slug, status: { in: ["PUBLISHED", "YANKED"] } },
      select: { id: true, version: true, status: true, publishedAt: true, createdAt: true, yankedAt: true, yankReason: true },
    }),
  );
  if (versions.length === 0) throw new ApiError("not_found", `No published agent '${slug}'.`);
  const ids = versions.map((v) => v.id);
  const since = windowStart(at, STATS_WINDOW_DAYS);
  const [usage, histograms] = await Promise.all([
    db.$queryRaw<UsageRow[]>`
      SELECT "packageId", sum("runs")::int AS runs, sum("succeeded")::int AS succeeded, sum("failedProvider")::int AS "failedProvider",
             sum("failedConsumer")::int AS "failedConsumer", sum("failedPlatform")::int AS "failedPlatform", sum("canceled")::int AS canceled
      FROM "PackageUsageDaily" WHERE "packageId" = ANY(${ids}::text[]) AND "day" >= ${since}::date GROUP BY "packageId"`,
    summedHistograms(db, ids, since),
  ]);
  const byId = new Map(usage.map((u) => [u.packageId, u]));
  return {
    slug,
    windowDays: STATS_WINDOW_DAYS,
    since,
    versions: versions.map((v) => {
      const u = byId.get(v.id);
      const runs = u?.runs ?? 0;
      const p = histogramPercentiles(histograms.get(v.id));
      return {
        version: v.version,
        status: v.status as "PUBLISHED" | "YANKED",
        publishedAt: (v.publishedAt ?? v.createdAt).toISOString(),
        yank: v.status === "YANKED" ? { yankedAt: v.yankedAt?.toISOString() ?? null, reason: v.yankReason } : null,
        stats: {
          runs,
          succeeded: u?.succeeded ?? 0,
          /** succeeded / runs; null without runs. */
          successRate: runs > 0 ? (u?.succeeded ?? 0) / runs : null,
          failures: { provider: u?.failedProvider ?? 0, consumerInput: u?.failedConsumer ?? 0, platform: u?.failedPlatform ?? 0 },
          canceled: u?.canceled ?? 0,
          p50DurationMs: p.p50DurationMs,
          p95DurationMs: p.p95DurationMs,
          p50PriceMicros: p.p50PriceMicros,
          p95PriceMicros: p.p95PriceMicros,
        },
      };
    }),
  };
}
export type VersionStats = Awaited<ReturnType<typeof versionStats>>;
