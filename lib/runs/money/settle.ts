import { recordUsage } from "@/lib/usage/rollup";
import { billSettledRun } from "@/lib/billing/settlement";
import type { DbTx } from "@/lib/db/client";
import { settleBudget } from "@/lib/ledger/budgets";
import { lockRunHold, postHold, SYSTEM_ACCOUNTS, transfer, voidHold } from "@/lib/ledger/ledger";
import type { RunOutcome, SettledRun } from "../outcome";

/**
 * Charging runs (SPEC §3), at their end, in the transaction that records the
 * final state (so it happens exactly once, with that state): the model cost
 * the platform pays is booked from revenue to provider_cost for every run,
 * failed ones too; the hold is posted for the price (never more than was held;
 * the platform absorbs the rest) or voided (FAILED, or nothing to pay); the
 * charge is counted in the budgets, the day's usage row and billing (meter
 * event, auto top-up). Returns what was charged.
 */
export async function settleRun(tx: DbTx, run: SettledRun, outcome: RunOutcome): Promise<bigint> {
  if (outcome.providerCostMicros > 0n) {
    // Once per run: finishRun's conditional update lets exactly one caller settle a run.
    await transfer(tx, { debit: SYSTEM_ACCOUNTS.revenue, credit: SYSTEM_ACCOUNTS.providerCost, amount: outcome.providerCostMicros, reason: "model_cost", workspaceId: run.workspaceId, runId: run.id, idempotencyKey: `run:${run.id}:model_cost` });
  }
  const charged = await chargeHold(tx, run, outcome.priceMicros);
  await recordUsage(tx, run, outcome, charged);
  await billSettledRun(tx, run, charged);
  return charged;
}

/** Resolves the run's hold for its price, capped at the hold; what was charged (0 when nothing was held: a free run). */
async function chargeHold(tx: DbTx, run: SettledRun, priceMicros: bigint): Promise<bigint> {
  const pending = await lockRunHold(tx, run.id);
  if (!pending) return 0n;
  const charge = priceMicros < pending.amountMicros ? priceMicros : pending.amountMicros;
  await settleBudget(tx, run, pending.amountMicros, charge, pending.createdAt);
  if (charge > 0n) await postHold(tx, pending, charge);
  else await voidHold(tx, pending);
  return charge;
}
