import type { DbTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { reserveBudget } from "@/lib/ledger/budgets";
import { hold, InsufficientFunds, SYSTEM_ACCOUNTS, walletFor } from "@/lib/ledger/ledger";
import { formatUsd } from "@/lib/money/format";
import type { HeldRun } from "../outcome";
import { maxRunPrice } from "./price";

// Charging runs (SPEC §3), at acceptance: a hold for the run's maximum price,
// in the transaction that creates it (if it throws, the run is not written).
// Its end is lib/runs/money/settle.ts.

/** How long a run's hold lives: well past the run's own timeout, so the expiry sweep only catches orphans. */
export const HOLD_LIFETIME_MS = 24 * 3_600_000;

/**
 * PREPAID: the hold is on the wallet. METERED (billed afterwards through
 * Stripe's meter): the monthly spend cap plays the role of the balance — the
 * budget reservation refuses past it — and the hold is on stripe_clearing, the
 * money Stripe will collect, so settlement books the charge the same way.
 * Refuses the run (402) when the wallet or a budget cannot cover the hold.
 */
export async function holdForRun(tx: DbTx, run: HeldRun): Promise<void> {
  const maxPriceMicros = await maxRunPrice(tx, run);
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
      runId: run.id,
      idempotencyKey: `run:${run.id}:hold`, // the run's own creation is idempotent, and this is its transaction: never a replay
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

const usd = (micros: bigint) => formatUsd(Number(micros));
