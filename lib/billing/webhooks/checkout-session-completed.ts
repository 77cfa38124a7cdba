import type Stripe from "stripe";
import { recordAudit } from "@/lib/audit/record-audit";
import { log } from "@/lib/observability/log";
import { centsToMicros, creditPayment } from "../credits";
import { stripe } from "../stripe-client";
import { syncSubscription } from "./customer-subscription-changed";
import { workspaceForCustomer, type WebhookHandler } from "./types";

// checkout.session.completed: a paid top-up credits the wallet (once per
// PaymentIntent) and saves the card for auto top-up; a subscription checkout
// links the subscription (its state comes from Stripe, fetched again).

type Prepared = { paymentMethod: string | null; subscription: Stripe.Subscription | null };

export const checkoutSessionCompleted: WebhookHandler<Prepared> = {
  async prepare(event) {
    const s = event.data.object as Stripe.Checkout.Session;
    if (s.mode === "payment" && typeof s.payment_intent === "string") {
      const pi = await stripe().paymentIntents.retrieve(s.payment_intent);
      return { paymentMethod: typeof pi.payment_method === "string" ? pi.payment_method : (pi.payment_method?.id ?? null), subscription: null };
    }
    if (s.mode === "subscription" && typeof s.subscription === "string") return { paymentMethod: null, subscription: await stripe().subscriptions.retrieve(s.subscription) };
    return { paymentMethod: null, subscription: null };
  },
  async apply(tx, event, prepared) {
    const s = event.data.object as Stripe.Checkout.Session;
    const workspace = await workspaceForCustomer(tx, s.customer);
    if (!workspace) return log.warn("checkout for an unknown customer; ignored", { session: s.id });
    if (s.mode === "subscription") {
      return prepared.subscription ? syncSubscription(tx, prepared.subscription) : undefined;
    }
    if (s.payment_status !== "paid" || typeof s.payment_intent !== "string" || !s.amount_total) return;
    const credited = await creditPayment(tx, { workspaceId: workspace.id, paymentIntentId: s.payment_intent, amountMicros: centsToMicros(s.amount_total), reason: "top_up" });
    if (prepared.paymentMethod) await tx.workspace.update({ where: { id: workspace.id }, data: { stripePaymentMethodId: prepared.paymentMethod } });
    if (credited) await recordAudit({ action: "billing.credits_purchased", workspaceId: workspace.id, target: s.payment_intent, metadata: { amountCents: s.amount_total, session: s.id } }, tx);
  },
};
