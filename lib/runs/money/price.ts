import { db, type DbTx } from "@/lib/db/client";
import { providerTerms } from "@/lib/ledger/earnings";
import { sql } from "@/lib/db/sql";
import { modelCostMicros, type ModelPriceRow, type TokenCounts } from "@/lib/llm/model-prices";
import { modelCost } from "@/lib/llm/price-list";
import { microsJson } from "@/lib/money/format";
import type { MaxPriceInput, PriceTerms, RunOutcome } from "../outcome";

// A run's price, computed here and nowhere else: at acceptance (the hold), in
// a quote, and at its end (the charge).

/**
 * SPEC §3 charging policy: a SUCCEEDED run pays base fee + model cost × tier
 * multiplier (+ the billable events a remote package reported, issue 19); a
 * FAILED run pays nothing; a CANCELED run pays for the tokens it consumed and
 * the events reported before the cancel, without the base fee. Multipliers are
 * basis points; rounding is half up, once.
 */
export function runPrice(status: RunOutcome["status"], costMicros: bigint, terms: PriceTerms, eventsMicros = 0n): bigint {
  const { marked, providerGross } = runPriceParts(status, costMicros, terms, eventsMicros);
  return marked + providerGross;
}

/**
 * The two parts of a run's price: `providerGross`, what its package's maker
 * earns before the platform's fee (base fee + billable events when SUCCEEDED,
 * the events when CANCELED, nothing when FAILED), and `marked`, the model cost
 * × the tier's multiplier (0 when FAILED), which stays with the platform
 * (pass-through, for a third-party package).
 */
export function runPriceParts(status: RunOutcome["status"], costMicros: bigint, terms: PriceTerms, eventsMicros = 0n): { marked: bigint; providerGross: bigint } {
  if (status === "FAILED") return { marked: 0n, providerGross: 0n };
  const marked = (costMicros * BigInt(terms.priceMultiplierBps) + 5_000n) / 10_000n;
  return { marked, providerGross: (status === "SUCCEEDED" ? terms.baseFeeMicros : 0n) + eventsMicros };
}

/** The price terms of a run already accepted (when its acceptance's are not at hand), with a third-party package's provider. */
export async function priceTerms(runId: string): Promise<PriceTerms> {
  const [t] = await sql.query<Omit<PriceTerms, "provider"> & { providerId: string | null }>(
    `SELECT p."baseFeeMicros", t."priceMultiplierBps", CASE WHEN p."kind" <> 'BUILTIN' THEN p."providerId" END AS "providerId"
     FROM "Run" r JOIN "AgentPackage" p ON p."id" = r."packageId"
     JOIN "Workspace" w ON w."id" = r."workspaceId" JOIN "Tier" t ON t."code" = w."tierCode" WHERE r."id" = $1`,
    [runId],
  );
  if (!t) throw new Error(`No run ${runId}.`);
  const { providerId, ...terms } = t;
  return providerId ? { ...terms, provider: await providerTerms(db, providerId) } : terms;
}

/**
 * The most a run can be charged, held at acceptance: the base fee (and a remote
 * package's billable events at their maximum) plus the multiplied cost of `maxTurns` turns (AGORA_HOLD_TURNS, default 4, at most the
 * executor's turn limit) each reading the prompt plus a full answer and
 * writing a full answer. A run whose price comes out higher (more turns, huge
 * tool results) is charged the held amount; the platform absorbs the rest.
 */
export async function maxRunPrice(tx: DbTx, p: MaxPriceInput): Promise<bigint> {
  const turns = Math.max(1, p.maxTurns);
  const { costMicros } = await modelCost(tx, p.model, {
    inputTokens: turns * (p.promptTokens + p.maxOutputTokens),
    outputTokens: turns * p.maxOutputTokens,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
  });
  // Priced exactly as a succeeded run would be, so a run costing at most this much never outgrows its hold.
  return runPrice("SUCCEEDED", costMicros, p, p.billableEventsMicros);
}

const none = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
const only = (k: keyof TokenCounts, n: number): TokenCounts => ({ ...none, [k]: n });

/**
 * What a run's price is made of (SPEC §3), as the customer sees it: each token
 * class at the model's list price, what cache reads saved against reading the
 * same tokens as input, the model cost, the platform fee (the rest of the
 * price: base fee and the tier's markup) and the total charged. When the
 * platform charged less than the model cost (a failed run, or a price past its
 * hold), `absorbedMicros` says how much it absorbed. Recorded in the run's
 * closing usage event, with the prices of the moment it finished. What
 * depends on the charge is added by the finishing statement, which settles it
 * (`withCharge`).
 */
export function priceBreakdown(price: Omit<ModelPriceRow, "model" | "displayName"> | undefined, usage: TokenCounts, costMicros: bigint, multiplierBps: number) {
  const cost = (k: keyof TokenCounts) => (price ? modelCostMicros(price, only(k, usage[k])) : 0n);
  const saving = price ? modelCostMicros(price, only("inputTokens", usage.cacheReadTokens)) - cost("cacheReadTokens") : 0n;
  const line = (k: keyof TokenCounts) => ({ tokens: usage[k], costMicros: microsJson(cost(k)) });
  return {
    input: line("inputTokens"),
    output: line("outputTokens"),
    cacheRead: line("cacheReadTokens"),
    cacheWrite: line("cacheWriteTokens"),
    cacheSavingMicros: microsJson(saving > 0n ? saving : 0n),
    modelCostMicros: microsJson(costMicros),
    priceMultiplierBps: multiplierBps,
  };
}

/**
 * SQL: a usage event's `data` (jsonb: the usage, `costMicros` and a
 * `priceBreakdown`) completed with what was charged (`charged`, micro-USD),
 * known only inside the statement that settles the run: `priceMicros`, and
 * the breakdown's platform fee, absorbed cost and total.
 */
export function withCharge(data: string, charged: string): string {
  const cost = `(${data} ->> 'costMicros')::bigint`;
  return `${data} || jsonb_build_object('priceMicros', ${charged}, 'breakdown', (${data} -> 'breakdown') || jsonb_build_object(
    'platformFeeMicros', greatest(${charged} - ${cost}, 0), 'absorbedMicros', greatest(${cost} - ${charged}, 0), 'totalMicros', ${charged}))`;
}

export type PriceBreakdown = ReturnType<typeof priceBreakdown> & { platformFeeMicros: number; absorbedMicros: number; totalMicros: number };
