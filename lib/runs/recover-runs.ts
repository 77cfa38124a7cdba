import type { Db } from "@/lib/db/client";
import { log } from "@/lib/observability/log";
import { finishRun } from "./finish-run";

/**
 * SPEC §3 "Recover": runs still QUEUED or RUNNING whose lease lapsed belong to
 * a process that died (a live executor renews its leases every lease/3). They
 * end FAILED `interrupted`, through finishRun, so the run's settlement releases
 * whatever was held. Tokens reported before the crash are not known here; the
 * run pays nothing, as every FAILED run.
 */
export async function recoverOrphanedRuns(db: Db, now = new Date()): Promise<string[]> {
  const orphans = await db.run.findMany({
    where: { status: { in: ["QUEUED", "RUNNING"] }, leaseExpiresAt: { lt: now } },
    select: { id: true, workspaceId: true, apiKeyId: true, agentSlug: true, packageId: true, model: true, inputTokens: true, outputTokens: true, cacheWriteTokens: true, cacheReadTokens: true },
    take: 500,
  });
  const recovered: string[] = [];
  for (const run of orphans) {
    const ended = await finishRun(
      db,
      run,
      {
        status: "FAILED",
        error: { code: "interrupted", message: "The server executing this run stopped before it finished." },
        usage: { inputTokens: run.inputTokens, outputTokens: run.outputTokens, cacheWriteTokens: run.cacheWriteTokens, cacheReadTokens: run.cacheReadTokens },
      },
      { from: ["QUEUED", "RUNNING"], leaseExpiredBefore: now },
    );
    if (ended) recovered.push(run.id);
  }
  if (recovered.length) log.warn("recovered interrupted runs", { count: recovered.length, runIds: recovered });
  return recovered;
}
