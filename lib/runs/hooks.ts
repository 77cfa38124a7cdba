import type { DbTx } from "@/lib/db/client";
import type { RunStatus } from "@/lib/generated/prisma/enums";
import type { Usage } from "@/lib/llm/provider";

// The seam money plugs into (issue 5). Both hooks run inside the run's own
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
  beforeRun(tx: DbTx, run: RunRef & { baseFeeMicros: bigint; maxOutputTokens: number }): Promise<void>;
  /** With the final status, usage and price, whoever finishes the run (executor, cancel, recovery). */
  afterRun(tx: DbTx, run: RunRef, outcome: RunOutcome): Promise<void>;
};

export const runHooks: RunHooks = {
  async beforeRun() {},
  async afterRun() {},
};
