import { after, type Statement } from "@/lib/db/statement";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import type { TokenCounts } from "@/lib/llm/model-prices";

/** The UTC day of `at`, the key of a day's usage rows. */
export const dayOf = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/**
 * CTE of a run's finishing statement (lib/runs/finish-run.ts), when `when`
 * holds: the finished run added to its day's usage row (workspace × day ×
 * agent × model × API key), `charged` (an SQL expression) as its price. In the
 * run's settlement, so the rollup can never disagree with the runs it counts;
 * dashboards read these rows, never runs. `after`: the CTEs whose row locks
 * come first (lock order: the usage row is last of the hot rows).
 */
export function recordUsageCte(
  s: Statement,
  run: { workspaceId: string; apiKeyId: string | null; agentSlug: string; model: string; finishedAt: Date },
  outcome: { status: RunStatus; usage: TokenCounts; providerCostMicros: bigint },
  o: { charged: string; when: string; after: string[] },
): string {
  const u = outcome.usage;
  const is = (status: RunStatus) => s.param(outcome.status === status ? 1 : 0, "int");
  return s.with(
    "usage",
    `INSERT INTO "UsageDaily" AS d ("workspaceId", "day", "agentSlug", "model", "apiKeyId", "runs", "succeeded", "failed", "canceled",
       "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costMicros", "priceMicros")
     SELECT ${s.param(run.workspaceId)}, ${s.param(dayOf(run.finishedAt).toISOString().slice(0, 10), "date")}, ${s.param(run.agentSlug)}, ${s.param(run.model)}, ${s.param(run.apiKeyId ?? "")}, 1,
       ${is("SUCCEEDED")}, ${is("FAILED")}, ${is("CANCELED")}, ${s.param(u.inputTokens, "bigint")}, ${s.param(u.outputTokens, "bigint")}, ${s.param(u.cacheReadTokens, "bigint")},
       ${s.param(u.cacheWriteTokens, "bigint")}, ${s.param(outcome.providerCostMicros, "bigint")}, ${o.charged}
     WHERE ${o.when} AND ${after(...o.after)}
     ON CONFLICT ("workspaceId", "day", "agentSlug", "model", "apiKeyId") DO UPDATE SET
       "runs" = d."runs" + 1, "succeeded" = d."succeeded" + EXCLUDED."succeeded", "failed" = d."failed" + EXCLUDED."failed",
       "canceled" = d."canceled" + EXCLUDED."canceled", "inputTokens" = d."inputTokens" + EXCLUDED."inputTokens",
       "outputTokens" = d."outputTokens" + EXCLUDED."outputTokens", "cacheReadTokens" = d."cacheReadTokens" + EXCLUDED."cacheReadTokens",
       "cacheWriteTokens" = d."cacheWriteTokens" + EXCLUDED."cacheWriteTokens", "costMicros" = d."costMicros" + EXCLUDED."costMicros",
       "priceMicros" = d."priceMicros" + EXCLUDED."priceMicros"
     RETURNING 1`,
  );
}
