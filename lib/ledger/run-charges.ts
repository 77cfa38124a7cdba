import type { DbTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { formatUsd } from "@/lib/money/format";
import { modelCost } from "@/lib/llm/price-list";
import type { RunOutcome, RunRef } from "@/lib/runs/hooks";
import { runPrice } from "@/lib/runs/pricing";
import { reserveBudget, settleBudget } from "./budgets";
import { hold, InsufficientFunds, lockRunHold, postHold, SYSTEM_ACCOUNTS, transfer, voidHold, walletFor } from "./ledger";

// Charging runs (SPEC §3): a hold for the run's maximum price when it is
// accepted, in the transaction that creates it; at its end, in the transaction
// that records its final state, the hold is posted for the price (SUCCEEDED:
// base fee + cost × multiplier; CANCELED: cost × multiplier) — never more than
// was held — or voided (FAILED, or nothing to pay). The model cost the platform
// pays is booked from revenue to provider_cost for every run, failed ones too.

/** How long a run's hold lives: well past the run's own timeout, so the expiry sweep only catches orphans. */
export const HOLD_LIFETIME_MS = 24 * 3_600_000;

export type MaxPriceInput = { model: string; baseFeeMicros: bigint; priceMultiplierBps: number; promptTokens: number; maxOutputTokens: number; maxTurns: number };

/**
 * The most a run can be charged, held at acceptance: the base fee plus the
 * multiplied cost of `maxTurns` turns (AGORA_HOLD_TURNS, default 4, at most the
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
  return runPrice("SUCCEEDED", costMicros, p.baseFeeMicros, p.priceMultiplierBps);
}

/**
 * PREPAID: the hold is on the wallet. METERED (billed afterwards through
 * Stripe's meter): the monthly spend cap plays the role of the balance — the
 * budget reservation refuses past it — and the hold is on stripe_clearing, the
 * money Stripe will collect, so settlement books the charge the same way.
 */
export async function holdForRun(tx: DbTx, run: RunRef & { paymentMode?: "PREPAID" | "METERED" }, maxPriceMicros: bigint): Promise<void> {
  if (maxPriceMicros <= 0n) return;
  const metered = run.paymentMode === "METERED";
  await reserveBudget(tx, run, maxPriceMicros, { capRequired: metered }); // before the wallet: the lock order of lib/ledger/budgets.ts
  const debit = metered ? SYSTEM_ACCOUNTS.stripeClearing : await walletFor(tx, run.workspaceId);
  try {
    await hold(tx, {
      debit,
      credit: SYSTEM_ACCOUNTS.revenue,
      amount: maxPriceMicros,
      reason: "run_charge",
      workspaceId: run.workspaceId,
      runId: run.id, // no idempotency key needed: the run's own creation is idempotent, and this is its transaction
      expiresAt: new Date(Date.now() + HOLD_LIFETIME_MS),
    });
  } catch (err) {
    if (!(err instanceof InsufficientFunds)) throw err;
    throw new ApiError("insufficient_credits", `This run may cost up to ${usd(maxPriceMicros)}; the workspace has ${usd(err.availableMicros)} available. Add credits to run it.`, {
      neededMicros: Number(maxPriceMicros),
      availableMicros: Number(err.availableMicros),
      topUpUrl: "/billing",
    });
  }
}

/** Settles the run's hold; returns what was charged (the price, capped at the hold). */
export async function settleRun(tx: DbTx, run: RunRef, outcome: RunOutcome): Promise<bigint> {
  if (outcome.providerCostMicros > 0n) {
    // Once per run: finishRun's conditional update lets exactly one caller settle a run.
    await transfer(tx, { debit: SYSTEM_ACCOUNTS.revenue, credit: SYSTEM_ACCOUNTS.providerCost, amount: outcome.providerCostMicros, reason: "model_cost", workspaceId: run.workspaceId, runId: run.id });
  }
  const pending = await lockRunHold(tx, run.id);
  if (!pending) return 0n; // nothing was held (a free run): nothing can be charged
  const charge = outcome.priceMicros < pending.amountMicros ? outcome.priceMicros : pending.amountMicros;
  await settleBudget(tx, run, pending.amountMicros, charge, pending.createdAt);
  if (charge > 0n) await postHold(tx, pending, charge);
  else await voidHold(tx, pending);
  return charge;
}

const usd = (micros: bigint) => formatUsd(Number(micros));
