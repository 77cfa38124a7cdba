import type { Db, DbTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { modelCostMicros } from "@/lib/llm/model-prices";
import { modelPrice } from "@/lib/llm/price-list";
import type { Usage } from "@/lib/llm/provider";
import { log as logger } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { microsJson } from "@/lib/money/format";
import { priceBreakdown, priceTerms, runPrice } from "./money/price";
import { settleRun } from "./money/settle";
import type { PriceTerms, RunOutcome, RunRef } from "./outcome";
import { RunEventLog } from "./run-event-log";
import { runNotifications } from "./run-notifications";

export type RunEnding = {
  status: RunOutcome["status"];
  output?: unknown;
  error?: { code: string; message: string; details?: unknown };
  usage: Usage;
  toolCalls?: number;
  retries?: number;
};

export type FinishableRun = RunRef & { model: string };

async function lastSeq(tx: DbTx, runId: string): Promise<number> {
  const last = await tx.runEvent.findFirst({ where: { runId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return last?.seq ?? 0;
}

/**
 * Ends a run in ONE transaction (SPEC §3 "Finish"): final status, usage, cost and
 * price on the row — only if it is still in one of `from` (so the executor,
 * a cancel and recovery never both end it) and, given `attempt`, still held by
 * that job attempt (a worker that lost the run to a resumed attempt cannot end it) — package counters, the closing
 * events (output or error, status, then usage, always last) and the run's
 * settlement (lib/runs/money/settle.ts). Returns false when the run had already been ended by someone else.
 */
export async function finishRun(
  db: Db,
  run: FinishableRun,
  ending: RunEnding,
  opts: { from: RunStatus[]; attempt?: number; leaseExpiredBefore?: Date; events?: RunEventLog; terms?: PriceTerms; startedAt?: Date },
): Promise<boolean> {
  const ended = await endRun(db, run, ending, opts);
  if (ended) {
    runNotifications().announceEvents(run.id);
    logger.info("run finished", { runId: run.id, agent: run.agentSlug, workspaceId: run.workspaceId, status: ending.status, errorCode: ending.error?.code ?? null });
    const m = metrics();
    m.runs.inc({ agent: run.agentSlug, status: ending.status });
    if (opts.startedAt) m.runDuration.observe({ agent: run.agentSlug }, (Date.now() - opts.startedAt.getTime()) / 1000);
    const u = ending.usage;
    for (const [kind, n] of [["input", u.inputTokens], ["output", u.outputTokens], ["cache_read", u.cacheReadTokens], ["cache_write", u.cacheWriteTokens]] as const) {
      if (n > 0) m.llmTokens.inc({ model: run.model, kind }, n);
    }
  }
  return ended;
}

async function endRun(db: Db, run: FinishableRun, ending: RunEnding, opts: { from: RunStatus[]; attempt?: number; leaseExpiredBefore?: Date; events?: RunEventLog; terms?: PriceTerms }): Promise<boolean> {
  const listPrice = await modelPrice(db, run.model);
  const costMicros = listPrice ? modelCostMicros(listPrice, ending.usage) : 0n;
  if (!listPrice) logger.warn("no list price for model; cost recorded as 0", { model: run.model, runId: run.id });
  return db.$transaction(async (tx) => {
    const terms = opts.terms ?? (await priceTerms(tx, run.id));
    const priceMicros = runPrice(ending.status, costMicros, terms);
    const finishedAt = new Date();
    const updated = await tx.run.updateMany({
      where: { id: run.id, status: { in: opts.from }, ...(opts.attempt === undefined ? {} : { attempt: opts.attempt }), ...(opts.leaseExpiredBefore ? { leaseExpiresAt: { lt: opts.leaseExpiredBefore } } : {}) },
      data: {
        status: ending.status,
        output: ending.output === undefined ? undefined : (ending.output as Prisma.InputJsonValue),
        errorCode: ending.error?.code ?? null,
        errorMessage: ending.error?.message ?? null,
        ...ending.usage,
        ...(ending.toolCalls === undefined ? {} : { toolCalls: ending.toolCalls }),
        ...(ending.retries === undefined ? {} : { retries: ending.retries }),
        providerCostMicros: costMicros,
        priceMicros,
        finishedAt,
        leaseExpiresAt: null,
      },
    });
    if (updated.count === 0) return false;
    // A top-level run gives its workspace's concurrent-runs slot back (lib/runs/accept-run.ts took it); first, the lock order.
    await tx.$executeRaw`UPDATE "RunSlot" SET "live" = "live" - 1
      WHERE "workspaceId" = ${run.workspaceId} AND "live" > 0 AND EXISTS (SELECT 1 FROM "Run" WHERE "id" = ${run.id} AND "depth" = 0)`;
    // Settles the money; the price is capped at what was held at acceptance (the platform absorbs the rest).
    const charged = await settleRun(tx, { ...run, finishedAt }, { status: ending.status, usage: ending.usage, providerCostMicros: costMicros, priceMicros });
    if (charged !== priceMicros) await tx.run.update({ where: { id: run.id }, data: { priceMicros: charged } });
    const events = opts.events ?? new RunEventLog(tx, run.id, await lastSeq(tx, run.id));
    if (ending.status === "SUCCEEDED") events.add("output", { output: ending.output as Prisma.InputJsonValue });
    if (ending.error) events.add("error", { ...ending.error, details: (ending.error.details ?? null) as Prisma.InputJsonValue });
    events.add("status", { status: ending.status, finishedAt: finishedAt.toISOString() });
    events.add("usage", { ...ending.usage, costMicros: microsJson(costMicros), priceMicros: microsJson(charged), breakdown: priceBreakdown(listPrice, ending.usage, costMicros, charged, terms.priceMultiplierBps) });
    await tx.runEvent.createMany({ data: events.drain() });
    // Last: every run of the package ends through this one row, and its lock is held until commit.
    await tx.agentPackage.update({
      where: { id: run.packageId },
      data: { runCount: { increment: 1 }, successCount: { increment: ending.status === "SUCCEEDED" ? 1 : 0 } },
    });
    return true;
  });
}
