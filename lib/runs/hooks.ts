import type { DbTx } from "@/lib/db/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import { holdForRun, maxRunPrice, settleRun, type MaxPriceInput } from "@/lib/ledger/run-charges";
import type { Usage } from "@/lib/llm/provider";

// Where money meets runs (SPEC §3). Both hooks run inside the run's own
// transaction, so a hold is placed exactly when the run is created and settled
// exactly when it finishes: if a hook throws, nothing of that step is written.

export type RunRef = { id: string; workspaceId: string; agentSlug: string; packageId: string };

export type RunOutcome = {
  status: Extract<RunStatus, "SUCCEEDED" | "FAILED" | "CANCELED">;
  usage: Usage;
  providerCostMicros: bigint;
  priceMicros: bigint;
};

export type RunHooks = {
  /** After the QUEUED run row is written; throw an ApiError (402, 429…) to refuse the run. */
  beforeRun(tx: DbTx, run: RunRef & MaxPriceInput): Promise<void>;
  /** With the final status, usage and price, whoever finishes the run (executor, cancel, recovery); returns what was charged. */
  afterRun(tx: DbTx, run: RunRef, outcome: RunOutcome): Promise<bigint>;
};

export const runHooks: RunHooks = {
  async beforeRun(tx, run) {
    await holdForRun(tx, run, await maxRunPrice(tx, run));
  },
  afterRun: settleRun,
};
