import type { Db } from "@/lib/db/client";
import type { Statement } from "@/lib/db/statement";

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
 * The packages.count job: moves tallied runs into their packages' counters,
 * `batch` at a time, each batch in one statement (the tallies deleted and
 * counted together: none counted twice, none lost). Returns how many runs it counted.
 */
export async function countPackageRuns(db: Db, batch = 10_000): Promise<number> {
  let counted = 0;
  for (;;) {
    const [moved] = await db.$queryRaw<{ runs: number }[]>`
      WITH moved AS (
        DELETE FROM "PackageRunTally" WHERE "runId" IN (SELECT "runId" FROM "PackageRunTally" LIMIT ${batch} FOR UPDATE SKIP LOCKED)
        RETURNING "packageId", "succeeded"
      ), added AS (
        UPDATE "AgentPackage" p SET "runCount" = p."runCount" + c."runs", "successCount" = p."successCount" + c."succeeded"
        FROM (SELECT "packageId", count(*)::int AS "runs", (count(*) FILTER (WHERE "succeeded"))::int AS "succeeded" FROM moved GROUP BY "packageId") c
        WHERE p."id" = c."packageId"
      )
      SELECT count(*)::int AS runs FROM moved`;
    counted += moved!.runs;
    if (moved!.runs < batch) return counted;
  }
}
