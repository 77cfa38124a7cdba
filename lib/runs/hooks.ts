import type { DbTx } from "@/lib/db/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { holdForRun, maxRunPrice, settleRun, type MaxPriceInput } from "@/lib/ledger/run-charges";
import type { Usage } from "@/lib/llm/provider";
import { recordUsage } from "@/lib/usage/rollup";
import { billSettledRun } from "@/lib/billing/settlement";

// Where money meets runs (SPEC §3). Both hooks run inside the run's own
// transaction, so a hold is placed exactly when the run is created and settled
// exactly when it finishes: if a hook throws, nothing of that step is written.

export type RunRef = { id: string; workspaceId: string; apiKeyId: string | null; agentSlug: string; packageId: string };

/** What the hold at acceptance needs to know of the workspace: METERED workspaces are held against their cap, not a wallet. */
export type HeldRun = RunRef & MaxPriceInput & { paymentMode: "PREPAID" | "METERED" };

/** A run as its settlement sees it: which model it used and when it finished (the usage rollup's day). */
export type SettledRun = RunRef & { model: string; finishedAt: Date };

export type RunOutcome = {
  status: Extract<RunStatus, "SUCCEEDED" | "FAILED" | "CANCELED">;
  usage: Usage;
  providerCostMicros: bigint;
  priceMicros: bigint;
};

export type RunHooks = {
  /** After the QUEUED run row is written; throw an ApiError (402, 429…) to refuse the run. */
  beforeRun(tx: DbTx, run: HeldRun): Promise<void>;
  /** With the final status, usage and price, whoever finishes the run (executor, cancel, recovery); returns what was charged. */
  afterRun(tx: DbTx, run: SettledRun, outcome: RunOutcome): Promise<bigint>;
};

export const runHooks: RunHooks = {
  async beforeRun(tx, run) {
    await holdForRun(tx, run, await maxRunPrice(tx, run));
  },
  async afterRun(tx, run, outcome) {
    const charged = await settleRun(tx, run, outcome);
    await recordUsage(tx, run, outcome, charged);
    await billSettledRun(tx, run, charged);
    return charged;
  },
};
