import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import type { RunHold } from "@/lib/ledger/run-hold";
import { formatUsd } from "@/lib/money/format";
import type { HeldRun } from "../outcome";
import { maxRunPrice } from "./price";

// Charging runs (SPEC §3), at acceptance: a hold for the run's maximum price,
// placed by the statement that creates the run (lib/ledger/run-hold.ts; if it
// is refused, the run is not written). Its end is lib/runs/money/settle.ts.

/** How long a run's hold lives: well past the run's own timeout, so the expiry sweep only catches orphans. */
export const HOLD_LIFETIME_MS = 24 * 3_600_000;

/** The hold a run being accepted places (its maximum price), or undefined when it costs nothing: no hold, no reservation. */
export async function runHold(run: HeldRun, at = new Date()): Promise<RunHold | undefined> {
  const amountMicros = await maxRunPrice(db, run);
  if (amountMicros <= 0n) return undefined;
  const expiresAt = new Date(at.getTime() + HOLD_LIFETIME_MS);
  return { runId: run.id, workspaceId: run.workspaceId, apiKeyId: run.apiKeyId, amountMicros, metered: run.paymentMode === "METERED", at, expiresAt };
}

/** The 402 of a hold the wallet cannot cover. */
export const insufficientCredits = (neededMicros: bigint) => (availableMicros: bigint) =>
  new ApiError("insufficient_credits", `This run may cost up to ${usd(neededMicros)}; the workspace has ${usd(availableMicros)} available. Add credits to run it.`, {
    neededMicros: Number(neededMicros),
    availableMicros: Number(availableMicros),
    topUpUrl: "/billing",
  });

const usd = (micros: bigint) => formatUsd(Number(micros));
