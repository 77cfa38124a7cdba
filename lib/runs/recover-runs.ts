import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";
import { finishRun } from "./finish-run";
import type { RunJobs } from "./run-jobs";

/**
 * SPEC §3 "Recover", on the job engine (issue 17). A top-level run belongs to
 * its job: when its worker dies the job is claimed again and the run resumed,
 * and a job out of retries ends the run through the dead-letter queue. Two
 * cases remain for this sweep:
 * - child runs (a Workflow Orchestrator's), executed inside their parent's job:
 *   one whose lease lapsed — or that was never claimed — lost its executor and
 *   ends FAILED `interrupted`, uncharged (the resumed parent asks again);
 * - a top-level run left QUEUED or RUNNING without a live job (a database
 *   restored from a backup, a run accepted before the engine existed): its job
 *   is sent again, and the run resumed.
 */
export async function recoverOrphanedRuns(db: Db, jobs: Pick<RunJobs, "resend" | "queues">, now = new Date()): Promise<string[]> {
  const stale = new Date(now.getTime() - env().AGORA_RUN_LEASE_MS);
  const orphans = await db.run.findMany({
    where: { depth: { gt: 0 }, status: { in: ["QUEUED", "RUNNING"] }, OR: [{ leaseExpiresAt: { lt: now } }, { leaseExpiresAt: null, createdAt: { lt: stale } }] },
    select: { id: true, workspaceId: true, apiKeyId: true, agentSlug: true, packageId: true, model: true, leaseExpiresAt: true },
    take: 500,
  });
  const recovered: string[] = [];
  for (const run of orphans) {
    const ended = await finishRun(
      db,
      run,
      { status: "FAILED", error: { code: "interrupted", message: "The server executing this run stopped before it finished.", cause: "platform" }, usage: { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 } },
      { from: ["QUEUED", "RUNNING"], ...(run.leaseExpiresAt ? { leaseExpiredBefore: now } : {}) },
    );
    if (ended) recovered.push(run.id);
  }
  if (recovered.length) log.warn("recovered interrupted child runs", { count: recovered.length, runIds: recovered });

  const schema = env().AGORA_JOBS_SCHEMA;
  const jobless = await db.$queryRawUnsafe<{ id: string; tierCode: string }[]>(
    `SELECT r."id", w."tierCode" FROM "Run" r JOIN "Workspace" w ON w."id" = r."workspaceId"
     WHERE r."depth" = 0 AND r."status" IN ('QUEUED', 'RUNNING') AND r."createdAt" < $1
       AND (r."leaseExpiresAt" IS NULL OR r."leaseExpiresAt" < $2)
       AND NOT EXISTS (SELECT 1 FROM "${schema}"."job" j WHERE j."name" = ANY($3) AND j."singleton_key" = r."id" AND j."state" < 'completed')
     LIMIT 500`,
    stale,
    now,
    Object.values(jobs.queues),
  );
  const resent: string[] = [];
  for (const run of jobless) if (await jobs.resend(run)) resent.push(run.id);
  if (resent.length) log.warn("re-enqueued runs that had no job", { count: resent.length, runIds: resent });
  return [...recovered, ...resent];
}
