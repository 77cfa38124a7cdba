import { z } from "zod";
import { db } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { modelCost } from "@/lib/llm/price-list";
import { microsJson } from "@/lib/money/format";
import { holdTerms, resolveRunRequest, runModel, type RunCaller, type RunEngine } from "../accept-run";
import { maxRunPrice, runPrice } from "./price";

// POST /api/v1/runs/quote (SPEC §4 "Quotes"): before a run, what it is expected
// to cost — the median and 95th percentile of this package version's recent
// successful runs on the same provider, priced at the caller's tier, or a
// model-based estimate while there are fewer than MIN_SAMPLES — and the maximum
// that will be held, next to the workspace's available balance.

export const quoteSchema = z.object({
  agent: z.string().trim().min(1, "Name the agent by its slug.").max(100),
  input: z.unknown().refine((v) => v !== undefined, "Required."),
});

export const MIN_SAMPLES = 5;
const SAMPLE = 200;

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: bigint[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;

export async function quoteRun(caller: RunCaller, body: z.output<typeof quoteSchema>, executor: RunEngine) {
  const request = await resolveRunRequest(body, caller);
  const { row } = request;
  const provider = executor.providerName;
  const model = runModel(executor, row);
  const terms = holdTerms(request, model, caller, executor);
  const price = (cost: bigint) => runPrice("SUCCEEDED", cost, terms);

  const recent = await db.run.findMany({
    where: { packageId: row.id, status: "SUCCEEDED", provider },
    select: { providerCostMicros: true },
    orderBy: { createdAt: "desc" },
    take: SAMPLE,
  });
  let expected: { p50Micros: bigint; p95Micros: bigint; basis: "recent_runs" | "estimate"; sampleSize: number };
  if (recent.length >= MIN_SAMPLES) {
    const prices = recent.map((r) => price(r.providerCostMicros)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expected = { p50Micros: percentile(prices, 0.5), p95Micros: percentile(prices, 0.95), basis: "recent_runs", sampleSize: recent.length };
  } else {
    // One turn writing a quarter of the output limit (typical), and two full turns (a long run).
    const oneTurn = await modelCost(db, model, { inputTokens: terms.promptTokens, outputTokens: Math.ceil(terms.maxOutputTokens / 4), cacheWriteTokens: 0, cacheReadTokens: 0 });
    const twoTurns = await modelCost(db, model, { inputTokens: 2 * (terms.promptTokens + terms.maxOutputTokens), outputTokens: 2 * terms.maxOutputTokens, cacheWriteTokens: 0, cacheReadTokens: 0 });
    expected = { p50Micros: price(oneTurn.costMicros), p95Micros: price(twoTurns.costMicros), basis: "estimate", sampleSize: recent.length };
  }
  const maxHold = await maxRunPrice(db, terms);
  const { availableMicros } = await workspaceBalance(db, caller.workspace.id);
  return {
    agent: row.slug,
    version: row.version,
    deprecation: request.deprecation,
    provider,
    model,
    baseFeeMicros: microsJson(row.baseFeeMicros),
    priceMultiplierBps: terms.priceMultiplierBps,
    expected: { p50Micros: microsJson(expected.p50Micros), p95Micros: microsJson(expected.p95Micros), basis: expected.basis, sampleSize: expected.sampleSize },
    // A remote package's billable events: each at its price, at most maxPerRun a run (the hold covers them all).
    ...(request.remote && {
      billableEvents: request.remote.remote.billableEvents.map((e) => ({ name: e.name, description: e.description, priceMicros: e.priceMicros, maxPerRun: e.maxPerRun })),
      maxBillableEventsMicros: microsJson(terms.billableEventsMicros ?? 0n),
    }),
    maxHoldMicros: microsJson(maxHold),
    availableMicros: microsJson(availableMicros),
    sufficient: availableMicros >= maxHold,
  };
}
