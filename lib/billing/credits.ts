import type { DbTx } from "@/lib/db/client";
import { SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";
import { grantStartingCredit } from "@/lib/workspaces/grant-starting-credit";

/** USD cents (Stripe's unit) → micro-USD. */
export const centsToMicros = (cents: number) => BigInt(cents) * 10_000n;

/**
 * Credits a Stripe payment to the wallet (stripe_clearing → wallet), exactly
 * once per payment: concurrent credits of one payment queue on a lock named
 * after it, and the later ones find the first's transfer (whose external
 * reference, the PaymentIntent id, is also unique in the database). So a
 * second event — or the auto top-up's own confirmation — for the same payment
 * credits nothing. Returns whether this call credited it. The first payment
 * also grants the starting credit, if nothing did before.
 * Re-arms auto top-up once the balance is back over its threshold.
 */
export async function creditPayment(tx: DbTx, p: { workspaceId: string; paymentIntentId: string; amountMicros: bigint; reason: "top_up" | "auto_top_up" }): Promise<boolean> {
  if (!(await claimPayment(tx, p.paymentIntentId))) return false;
  const wallet = await walletFor(tx, p.workspaceId);
  await transfer(tx, { debit: SYSTEM_ACCOUNTS.stripeClearing, credit: wallet, amount: p.amountMicros, reason: p.reason, workspaceId: p.workspaceId, externalRef: p.paymentIntentId, idempotencyKey: `payment:${p.paymentIntentId}` });
  // A paying customer is no throwaway account: the first payment brings the starting credit if verification has not.
  await grantStartingCredit(tx, p.workspaceId);
  await tx.$executeRaw`
    UPDATE "Workspace" w SET "autoTopUpArmed" = true
    WHERE w."id" = ${p.workspaceId} AND NOT w."autoTopUpArmed"
      AND (SELECT a."postedMicros" - a."pendingDebitsMicros" FROM "LedgerAccount" a WHERE a."workspaceId" = w."id") >= coalesce(w."autoTopUpThresholdMicros", 0)`;
  return true;
}

/** Takes the lock named after a payment (or invoice) for this transaction. */
export async function lockPayment(tx: DbTx, ref: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`agora:payment:${ref}`}))`;
}

/** Takes the payment's lock; false if a transfer already references it (it was credited). */
export async function claimPayment(tx: DbTx, externalRef: string): Promise<boolean> {
  await lockPayment(tx, externalRef);
  return (await tx.transfer.count({ where: { externalRef } })) === 0;
}
