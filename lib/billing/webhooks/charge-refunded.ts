import type Stripe from "stripe";
import { recordAudit } from "@/lib/audit/record-audit";
import { InsufficientFunds, reverse, SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";
import { lockPayment } from "../credits";
import { workspaceForCustomer, type WebhookHandler } from "./types";

// charge.refunded: the credit bought with the payment is taken back — a
// reversing transfer for a full refund, a transfer of the newly refunded part
// for a partial one (amount_refunded is cumulative; each step once). If the
// credits were already spent, nothing is taken and the shortfall is
// audit-logged for an admin.

export const chargeRefunded: WebhookHandler = {
  async apply(tx, event) {
    const charge = event.data.object as Stripe.Charge;
    const pi = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
    const workspace = await workspaceForCustomer(tx, charge.customer);
    if (!pi || !workspace) return;
    const credit = await tx.transfer.findUnique({ where: { externalRef: pi } });
    if (!credit) return; // not a credit purchase of ours
    // One lock per payment: refund events for it apply one at a time, each seeing the ones before.
    await lockPayment(tx, pi);
    const step = `refund:${pi}:${charge.amount_refunded}`;
    if (await tx.transfer.findUnique({ where: { idempotencyKey: step }, select: { id: true } })) return;
    const already = (await tx.transfer.aggregate({ where: { workspaceId: workspace.id, reason: "refund", idempotencyKey: { startsWith: `refund:${pi}:` } }, _sum: { amountMicros: true } }))._sum.amountMicros ?? 0n;
    const full = charge.amount_refunded >= charge.amount && already === 0n;
    const amount = BigInt(charge.amount_refunded) * 10_000n - already;
    if (amount <= 0n) return;
    try {
      if (full) await reverse(tx, credit.id, "refund", step);
      else await transfer(tx, { debit: await walletFor(tx, workspace.id), credit: SYSTEM_ACCOUNTS.stripeClearing, amount, reason: "refund", workspaceId: workspace.id, idempotencyKey: step });
    } catch (err) {
      if (!(err instanceof InsufficientFunds)) throw err;
      await recordAudit({ action: "billing.refund_unrecovered", workspaceId: workspace.id, target: charge.id, metadata: { amountMicros: Number(amount), availableMicros: Number(err.availableMicros) } }, tx);
      return;
    }
    await recordAudit({ action: "billing.credits_refunded", workspaceId: workspace.id, target: charge.id, metadata: { amountMicros: Number(amount), paymentIntent: pi } }, tx);
  },
};
