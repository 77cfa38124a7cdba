import type { DbTx } from "@/lib/db/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import type { TokenCounts } from "@/lib/llm/model-prices";

/** The UTC day of `at`, the key of a day's usage rows. */
export const dayOf = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/**
 * Adds a finished run to its day's usage row (workspace × day × agent × model
 * × API key), in the run's settlement transaction: the rollup can never
 * disagree with the runs it counts, and dashboards read these rows, never runs.
 */
export async function recordUsage(
  tx: DbTx,
  run: { workspaceId: string; apiKeyId: string | null; agentSlug: string; model: string; finishedAt: Date },
  outcome: { status: RunStatus; usage: TokenCounts; providerCostMicros: bigint },
  chargedMicros: bigint,
): Promise<void> {
  const u = outcome.usage;
  const is = (status: RunStatus) => (outcome.status === status ? 1 : 0);
  await tx.$executeRaw`
    INSERT INTO "UsageDaily" AS d ("workspaceId", "day", "agentSlug", "model", "apiKeyId", "runs", "succeeded", "failed", "canceled",
      "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costMicros", "priceMicros")
    VALUES (${run.workspaceId}, ${dayOf(run.finishedAt)}::date, ${run.agentSlug}, ${run.model}, ${run.apiKeyId ?? ""}, 1,
      ${is("SUCCEEDED")}, ${is("FAILED")}, ${is("CANCELED")}, ${u.inputTokens}, ${u.outputTokens}, ${u.cacheReadTokens}, ${u.cacheWriteTokens},
      ${outcome.providerCostMicros}, ${chargedMicros})
    ON CONFLICT ("workspaceId", "day", "agentSlug", "model", "apiKeyId") DO UPDATE SET
      "runs" = d."runs" + 1, "succeeded" = d."succeeded" + EXCLUDED."succeeded", "failed" = d."failed" + EXCLUDED."failed",
      "canceled" = d."canceled" + EXCLUDED."canceled", "inputTokens" = d."inputTokens" + EXCLUDED."inputTokens",
      "outputTokens" = d."outputTokens" + EXCLUDED."outputTokens", "cacheReadTokens" = d."cacheReadTokens" + EXCLUDED."cacheReadTokens",
      "cacheWriteTokens" = d."cacheWriteTokens" + EXCLUDED."cacheWriteTokens", "costMicros" = d."costMicros" + EXCLUDED."costMicros",
      "priceMicros" = d."priceMicros" + EXCLUDED."priceMicros"`;
}
