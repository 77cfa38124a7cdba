import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { after, Statement } from "@/lib/db/statement";
import { tallyRunCte } from "@/lib/agents/package-counts";
import { recordTransfers, runHoldCte } from "@/lib/ledger/ledger";
import type { Prisma, Transfer } from "@/lib/generated/prisma/client";
import type { FailureCause, RunStatus } from "@/lib/generated/prisma/enums";
import { modelCostMicros } from "@/lib/llm/model-prices";
import { modelPrice } from "@/lib/llm/price-list";
import type { Usage } from "@/lib/llm/provider";
import { log as logger } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { microsJson } from "@/lib/money/format";
import { earningsCtes, maturesAt, splitColumns } from "@/lib/ledger/earnings";
import { priceBreakdown, priceTerms, runPriceParts, withCharge } from "./money/price";
import { chargeOf, settlementCtes } from "./money/settle";
import type { PriceTerms, RunOutcome, RunRef } from "./outcome";
import { insertEventsSql, RunEventLog } from "./run-event-log";
import { runNotifications } from "./run-notifications";

export type RunEnding = {
  status: RunOutcome["status"];
  output?: unknown;
  /** `cause` (SPEC §13 failure attribution) is recorded on the run as its failureCause. */
  error?: { code: string; message: string; details?: unknown; cause?: FailureCause };
  usage: Usage;
  /** A remote package's billable events reported during the run, priced (charged within the hold, like the rest). */
  billableEventsMicros?: bigint;
  toolCalls?: number;
  retries?: number;
};

export type FinishableRun = RunRef & { model: string };

/**
 * Ends a run in ONE statement (SPEC §3 "Finish"; `endRun`): final status, usage, cost and
 * price on the row — only if it is still in one of `from` (so the executor,
 * a cancel and recovery never both end it) and, given `attempt`, still held by
 * that job attempt (a worker that lost the run to a resumed attempt cannot end it) — its
 * RunSlot back (a top-level run), the run's settlement (lib/runs/money/settle.ts),
 * its package tally (lib/agents/package-counts.ts) and the closing events (output or
 * error, status, then usage, always last). Returns false when the run had already been ended by someone else.
 */
export async function finishRun(
  db: Db,
  run: FinishableRun,
  ending: RunEnding,
  opts: EndOptions & { startedAt?: Date },
): Promise<boolean> {
  const ended = await endRun(db, run, ending, opts);
  if (ended) {
    recordTransfers(ended.transfers, ended.startedAt);
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
  return Boolean(ended);
}

type EndOptions = { from: RunStatus[]; attempt?: number; leaseExpiredBefore?: Date; events?: RunEventLog; terms?: PriceTerms };

/**
 * One statement (its own transaction, one commit): a data-modifying CTE whose
 * every part but the run's row happens only if that row was ended by it. Row
 * locks, chained in lock order (lib/db/statement.ts `after`): the run, its
 * workspace's RunSlot (a top-level run gives its slot back), then the
 * settlement's (lib/runs/money/settle.ts): SpendCounters, the wallet, the day's
 * UsageDaily row, the Workspace when an auto top-up is disarmed. The closing
 * events are numbered after the last one written.
 */
async function endRun(db: Db, run: FinishableRun, ending: RunEnding, opts: EndOptions): Promise<{ transfers: Pick<Transfer, "kind" | "reason">[]; startedAt: Date } | undefined> {
  const listPrice = await modelPrice(db, run.model);
  const costMicros = listPrice ? modelCostMicros(listPrice, ending.usage) : 0n;
  const u0 = ending.usage;
  if (!listPrice && u0.inputTokens + u0.outputTokens + u0.cacheReadTokens + u0.cacheWriteTokens > 0) logger.warn("no list price for model; cost recorded as 0", { model: run.model, runId: run.id });
  const terms = opts.terms ?? (await priceTerms(run.id));
  const { marked, providerGross } = runPriceParts(ending.status, costMicros, terms, ending.billableEventsMicros);
  const priceMicros = marked + providerGross;
  const finishedAt = new Date();

  const events = opts.events ?? new RunEventLog(sql, run.id, 0);
  if (ending.status === "SUCCEEDED") events.add("output", { output: ending.output as Prisma.InputJsonValue });
  if (ending.error) {
    const { cause, ...error } = ending.error;
    events.add("error", { ...error, details: (error.details ?? null) as Prisma.InputJsonValue, ...(cause ? { cause } : {}) });
  }
  events.add("status", { status: ending.status, finishedAt: finishedAt.toISOString() });
  // Last, completed with what was charged by the statement that charges it.
  events.add("usage", { ...ending.usage, costMicros: microsJson(costMicros), breakdown: priceBreakdown(listPrice, ending.usage, costMicros, terms.priceMultiplierBps) });

  const s = new Statement();
  const held = runHoldCte(s, run.id);
  const conditions = [`"id" = ${s.param(run.id)}`, `"status" = ANY(${s.param(opts.from, `"RunStatus"[]`)})`];
  if (opts.attempt !== undefined) conditions.push(`"attempt" = ${s.param(opts.attempt, "int")}`);
  if (opts.leaseExpiredBefore) conditions.push(`"leaseExpiresAt" < ${s.utc(opts.leaseExpiredBefore)}`);
  const u = ending.usage;
  const charge = chargeOf(held, s.param(priceMicros, "bigint"));
  // A third-party package's run: the provider's share, the platform's fee and the pass-through, from the charge.
  const split = terms.provider ? splitColumns(s, charge, providerGross, terms.provider.feeBps) : "";
  const ended = s.with(
    "ended",
    `UPDATE "Run" SET "status" = ${s.param(ending.status, `"RunStatus"`)}, ${ending.output === undefined ? "" : `"output" = ${s.param(JSON.stringify(ending.output), "jsonb")}, `}
       "errorCode" = ${s.param(ending.error?.code ?? null, "text")}, "errorMessage" = ${s.param(ending.error?.message ?? null, "text")},
       ${ending.error?.cause ? `"failureCause" = ${s.param(ending.error.cause, `"FailureCause"`)}, ` : ""}${ending.billableEventsMicros ? `"billableEventsMicros" = ${s.param(ending.billableEventsMicros, "bigint")}, ` : ""}
       "inputTokens" = ${s.param(u.inputTokens, "int")}, "outputTokens" = ${s.param(u.outputTokens, "int")},
       "cacheWriteTokens" = ${s.param(u.cacheWriteTokens, "int")}, "cacheReadTokens" = ${s.param(u.cacheReadTokens, "int")},
       ${ending.toolCalls === undefined ? "" : `"toolCalls" = ${s.param(ending.toolCalls, "int")}, `}${ending.retries === undefined ? "" : `"retries" = ${s.param(ending.retries, "int")}, `}
       "providerCostMicros" = ${s.param(costMicros, "bigint")}, "priceMicros" = ${charge}, ${split}
       "finishedAt" = ${s.utc(finishedAt)}, "leaseExpiresAt" = NULL
     WHERE ${conditions.join(" AND ")}
     RETURNING "priceMicros", "depth"${terms.provider ? `, "providerShareMicros", "platformFeeMicros"` : ""}`,
  );
  const when = `EXISTS (SELECT 1 FROM ${ended})`;
  const charged = `(SELECT "priceMicros" FROM ${ended})`;
  const slot = s.with(
    "slot",
    `UPDATE "RunSlot" r SET "live" = r."live" - 1 FROM ${ended} e
     WHERE r."workspaceId" = ${s.param(run.workspaceId)} AND e."depth" = 0 AND r."live" > 0
     RETURNING 1`,
  );
  const settled = settlementCtes(s, { ...run, finishedAt }, { status: ending.status, usage: u, providerCostMicros: costMicros }, { held, charged, when, after: [slot] });
  const transfers = terms.provider
    ? [...settled.transfers, ...earningsCtes(s, { runId: run.id, workspaceId: run.workspaceId, provider: terms.provider, share: `(SELECT "providerShareMicros" FROM ${ended})`, fee: `(SELECT "platformFeeMicros" FROM ${ended})`, maturesAt: maturesAt(finishedAt), when, after: settled.locks })]
    : settled.transfers;
  tallyRunCte(s, run, ending.status === "SUCCEEDED", when);
  const closing = s.with("closing", `${insertEventsSql(s, run.id, events.drain(), { afterLastSeq: !opts.events, when, last: (data) => withCharge(data, charged) })} RETURNING 1`);
  const startedAt = new Date();
  const [row] = await sql.query<{ transfers: Pick<Transfer, "kind" | "reason">[] }>(
    s.text(`SELECT coalesce((SELECT jsonb_agg(t) FROM (${transfers.map((t) => `SELECT "kind", "reason" FROM ${t}`).join(" UNION ALL ")}) t), '[]') AS transfers
            FROM ${ended} WHERE ${after(closing)}`),
    s.values,
  );
  return row && { ...row, startedAt };
}
