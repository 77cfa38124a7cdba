import type { Db } from "@/lib/db/client";
import type { Statement } from "@/lib/db/statement";
import { DURATION_BOUNDS_MS, PRICE_BOUNDS_MICROS } from "@/lib/packages/histogram";

// A package's run and success counts (the catalog's popularity and success
// rate) off the run path (issue 18): every run of a package updating one
// counter row made finishes queue on its lock. A run's finishing statement
// inserts a PackageRunTally row instead (its own row: no lock anyone else
// waits for), and the packages.count job adds the tallies to the counters.

/** CTE of a run's finishing statement (lib/runs/finish-run.ts), when `when` holds: the run tallied for its package's counters (once per run). */
export function tallyRunCte(s: Statement, run: { id: string; packageId: string }, succeeded: boolean, when: string): string {
  return s.with(
    "tally",
    `INSERT INTO "PackageRunTally" ("runId", "packageId", "succeeded") SELECT ${s.param(run.id)}, ${s.param(run.packageId)}, ${s.param(succeeded, "boolean")} WHERE ${when}
     ON CONFLICT ("runId") DO NOTHING RETURNING 1`,
  );
}

/**
 * The packages.count job: moves tallied runs into their packages' counters and
 * the usage rollup, `batch` at a time, each batch in one statement (the tallies
 * deleted and counted together: none counted twice, none lost; concurrent
 * invocations take disjoint batches, SKIP LOCKED). Each run, read from its Run
 * row, is added to its version's PackageUsageDaily row (its workspace, the UTC
 * day of finishedAt: runs, succeeded, failures by cause, canceled, charged price,
 * duration = finishedAt − startedAt, 0 if it never started) and to its
 * version's PackageHistogramDaily row (lib/packages/histogram.ts: every run's
 * duration, a successful run's charged price). A FAILED run without a recorded
 * cause counts as a platform failure. Rows are written in key order (no
 * deadlock between concurrent batches). Returns how many runs it counted.
 */
export async function countPackageRuns(db: Db, batch = 10_000): Promise<number> {
  const durationBounds = [...DURATION_BOUNDS_MS];
  const priceBounds = [...PRICE_BOUNDS_MICROS];
  let counted = 0;
  for (;;) {
    const [moved] = await db.$queryRaw<{ runs: number }[]>`
      WITH moved AS (
        DELETE FROM "PackageRunTally" WHERE "runId" IN (SELECT "runId" FROM "PackageRunTally" LIMIT ${batch} FOR UPDATE SKIP LOCKED)
        RETURNING "runId", "packageId", "succeeded"
      ), added AS (
        UPDATE "AgentPackage" p SET "runCount" = p."runCount" + c."runs", "successCount" = p."successCount" + c."succeeded"
        FROM (SELECT "packageId", count(*)::int AS "runs", (count(*) FILTER (WHERE "succeeded"))::int AS "succeeded" FROM moved GROUP BY "packageId") c
        WHERE p."id" = c."packageId"
      ), ran AS (
        SELECT m."packageId", r."workspaceId", r."finishedAt"::date AS "day", r."status", r."failureCause", r."priceMicros",
               CASE WHEN r."startedAt" IS NULL THEN 0 ELSE greatest(0, floor(extract(epoch FROM r."finishedAt" - r."startedAt") * 1000))::bigint END AS "durationMs"
        FROM moved m JOIN "Run" r ON r."id" = m."runId"
        WHERE r."finishedAt" IS NOT NULL
      ), usage AS (
        INSERT INTO "PackageUsageDaily" AS u ("packageId", "workspaceId", "day", "runs", "succeeded", "failedProvider", "failedConsumer", "failedPlatform", "canceled", "priceMicros", "durationMs")
        SELECT "packageId", "workspaceId", "day", count(*)::int,
               (count(*) FILTER (WHERE "status" = 'SUCCEEDED'))::int,
               (count(*) FILTER (WHERE "status" = 'FAILED' AND "failureCause" = 'provider'))::int,
               (count(*) FILTER (WHERE "status" = 'FAILED' AND "failureCause" = 'consumer_input'))::int,
               (count(*) FILTER (WHERE "status" = 'FAILED' AND ("failureCause" IS NULL OR "failureCause" = 'platform')))::int,
               (count(*) FILTER (WHERE "status" = 'CANCELED' OR "failureCause" = 'canceled'))::int,
               coalesce(sum("priceMicros"), 0)::bigint, coalesce(sum("durationMs"), 0)::bigint
        FROM ran GROUP BY "packageId", "workspaceId", "day" ORDER BY "packageId", "workspaceId", "day"
        ON CONFLICT ("packageId", "workspaceId", "day") DO UPDATE SET
          "runs" = u."runs" + excluded."runs", "succeeded" = u."succeeded" + excluded."succeeded",
          "failedProvider" = u."failedProvider" + excluded."failedProvider", "failedConsumer" = u."failedConsumer" + excluded."failedConsumer",
          "failedPlatform" = u."failedPlatform" + excluded."failedPlatform", "canceled" = u."canceled" + excluded."canceled",
          "priceMicros" = u."priceMicros" + excluded."priceMicros", "durationMs" = u."durationMs" + excluded."durationMs"
      ), counts AS (
        SELECT "packageId", "day", 'd' AS "kind", width_bucket("durationMs", ${durationBounds}::bigint[]) AS "bucket", count(*)::int AS "n" FROM ran GROUP BY 1, 2, 4
        UNION ALL
        SELECT "packageId", "day", 'p', width_bucket("priceMicros", ${priceBounds}::bigint[]), count(*)::int FROM ran WHERE "status" = 'SUCCEEDED' GROUP BY 1, 2, 4
      ), groups AS (
        SELECT DISTINCT "packageId", "day" FROM ran
      ), dur AS (
        SELECT g."packageId", g."day", array_agg(coalesce(c."n", 0) ORDER BY i) AS "buckets"
        FROM groups g CROSS JOIN generate_series(0, ${durationBounds.length}) i
        LEFT JOIN counts c ON c."packageId" = g."packageId" AND c."day" = g."day" AND c."kind" = 'd' AND c."bucket" = i
        GROUP BY g."packageId", g."day"
      ), price AS (
        SELECT g."packageId", g."day", array_agg(coalesce(c."n", 0) ORDER BY i) AS "buckets"
        FROM groups g CROSS JOIN generate_series(0, ${priceBounds.length}) i
        LEFT JOIN counts c ON c."packageId" = g."packageId" AND c."day" = g."day" AND c."kind" = 'p' AND c."bucket" = i
        GROUP BY g."packageId", g."day"
      ), histograms AS (
        INSERT INTO "PackageHistogramDaily" AS h ("packageId", "day", "durationBuckets", "priceBuckets")
        SELECT d."packageId", d."day", d."buckets", p."buckets" FROM dur d JOIN price p USING ("packageId", "day") ORDER BY d."packageId", d."day"
        ON CONFLICT ("packageId", "day") DO UPDATE SET
          "durationBuckets" = agora_add_counts(h."durationBuckets", excluded."durationBuckets"),
          "priceBuckets" = agora_add_counts(h."priceBuckets", excluded."priceBuckets")
      )
      SELECT count(*)::int AS runs FROM moved`;
    counted += moved!.runs;
    if (moved!.runs < batch) return counted;
  }
}
