import type Stripe from "stripe";
import { recordAudit } from "@/lib/audit/record-audit";
import { workspaceForCustomer, type WebhookHandler } from "./types";

// invoice.payment_failed: the workspace is past due from the first failure;
// runs keep working for AGORA_BILLING_GRACE_DAYS, then get 402 payment_past_due
// (lib/billing/past-due.ts) until an invoice is paid.

export const invoicePaymentFailed: WebhookHandler = {
  async apply(tx, event) {
    const invoice = event.data.object as Stripe.Invoice;
    const workspace = await workspaceForCustomer(tx, invoice.customer);
    if (!workspace || workspace.pastDueSince) return;
    await tx.workspace.update({ where: { id: workspace.id }, data: { pastDueSince: new Date(event.created * 1000) } });
    await recordAudit({ action: "billing.payment_failed", workspaceId: workspace.id, target: invoice.id ?? null, metadata: { amountDue: invoice.amount_due } }, tx);
    return workspace.id;
  },
};
