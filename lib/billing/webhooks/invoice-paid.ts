import type Stripe from "stripe";
import { recordAudit } from "@/lib/audit/record-audit";
import { SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";
import { claimPayment } from "../credits";
import { workspaceForCustomer, type WebhookHandler } from "./types";

// invoice.paid: a subscription invoice grants its tier's included credits,
// once per invoice (the invoice id is the grant's unique external reference),
// and clears a past-due state.

export const invoicePaid: WebhookHandler = {
  async apply(tx, event) {
    const invoice = event.data.object as Stripe.Invoice;
    const workspace = await workspaceForCustomer(tx, invoice.customer);
    if (!workspace) return;
    const changed = workspace.pastDueSince ? workspace.id : undefined;
    if (changed) await tx.workspace.update({ where: { id: workspace.id }, data: { pastDueSince: null } });
    if (!invoice.parent?.subscription_details || !(await claimPayment(tx, invoice.id!))) return changed;
    const line = invoice.lines.data[0] as (Stripe.InvoiceLineItem & { pricing?: { price_details?: { price?: string } } }) | undefined;
    const priceId = line?.pricing?.price_details?.price;
    const tier = (priceId && (await tx.tier.findFirst({ where: { stripePriceId: priceId } }))) || (await tx.tier.findUniqueOrThrow({ where: { code: workspace.tierCode } }));
    const amount = tier.includedCreditsMicros ?? 0n;
    if (amount <= 0n) return changed;
    await transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: await walletFor(tx, workspace.id), amount, reason: "included_credits", workspaceId: workspace.id, externalRef: invoice.id!, idempotencyKey: `invoice:${invoice.id!}` });
    await recordAudit({ action: "billing.credits_granted", workspaceId: workspace.id, target: invoice.id!, metadata: { tier: tier.code, amountMicros: Number(amount) } }, tx);
    return changed;
  },
};
