import type { DbTx } from "@/lib/db/client";
import { enqueue } from "./outbox";
import type { AutoTopUpPayload, MeterEventPayload } from "./outbox-senders";

/**
 * Billing's part of a run's settlement, in its transaction: a METERED
 * workspace's charge becomes a Billing Meter event in the Outbox; a PREPAID
 * workspace whose balance the charge took under its auto top-up threshold
 * gets one auto top-up per crossing (the conditional update disarms it, so
 * concurrent settlements trigger one; a credit that lifts the balance back
 * over the threshold re-arms it).
 */
export async function billSettledRun(tx: DbTx, run: { id: string; workspaceId: string; finishedAt: Date }, chargedMicros: bigint): Promise<void> {
  const w = await tx.workspace.findUniqueOrThrow({
    where: { id: run.workspaceId },
    select: { paymentMode: true, stripeCustomerId: true, autoTopUpArmed: true, autoTopUpThresholdMicros: true },
  });
  if (w.paymentMode === "METERED") {
    if (chargedMicros <= 0n || !w.stripeCustomerId) return;
    const payload: MeterEventPayload = { customer: w.stripeCustomerId, runId: run.id, valueMicros: chargedMicros.toString(), timestamp: Math.floor(run.finishedAt.getTime() / 1000) };
    return enqueue(tx, { kind: "meter_event", workspaceId: run.workspaceId, payload, idempotencyKey: `meter:${run.id}` });
  }
  if (!w.autoTopUpArmed || w.autoTopUpThresholdMicros === null || chargedMicros <= 0n) return;
  const crossed = await tx.$queryRaw<{ amount: bigint }[]>`
    UPDATE "Workspace" w SET "autoTopUpArmed" = false
    WHERE w."id" = ${run.workspaceId} AND w."autoTopUpArmed" AND w."autoTopUpAmountMicros" IS NOT NULL
      AND (SELECT a."postedMicros" - a."pendingDebitsMicros" FROM "LedgerAccount" a WHERE a."workspaceId" = w."id") < w."autoTopUpThresholdMicros"
    RETURNING w."autoTopUpAmountMicros" AS amount`;
  if (!crossed[0]) return;
  const payload: AutoTopUpPayload = { amountMicros: BigInt(crossed[0].amount).toString() };
  await enqueue(tx, { kind: "auto_top_up", workspaceId: run.workspaceId, payload, idempotencyKey: `auto-top-up:${run.workspaceId}:${run.id}` });
}
