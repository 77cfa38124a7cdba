import type Stripe from "stripe";
import { recordAudit } from "@/lib/audit/record-audit";
import type { DbTx } from "@/lib/db/client";
import { log } from "@/lib/observability/log";
import { stripe } from "../stripe-client";
import { workspaceForCustomer, type WebhookHandler } from "./types";

// customer.subscription.created / .updated / .deleted (one handler: they all
// say "this subscription changed"). Events arrive in any order, so the event's
// copy is not trusted: the subscription is fetched again and its current state
// applied — the latest state wins whatever the delivery order.

const LIVE = new Set(["active", "trialing", "past_due"]);

/** Applies the subscription's state; the id of the workspace whose tier it set. */
export async function syncSubscription(tx: DbTx, sub: Stripe.Subscription): Promise<string | void> {
  const workspace = await workspaceForCustomer(tx, sub.customer);
  if (!workspace) return log.warn("subscription for an unknown customer; ignored", { subscription: sub.id });
  const priceId = sub.items.data[0]?.price.id;
  const tier = priceId ? await tx.tier.findFirst({ where: { stripePriceId: priceId }, select: { code: true } }) : null;
  const tierCode = LIVE.has(sub.status) && tier ? tier.code : "free";
  await tx.workspace.update({ where: { id: workspace.id }, data: { stripeSubscriptionId: sub.id, stripeSubscriptionStatus: sub.status, tierCode } });
  if (tierCode !== workspace.tierCode) {
    await recordAudit({ action: "billing.tier_changed", workspaceId: workspace.id, target: sub.id, metadata: { from: workspace.tierCode, to: tierCode, status: sub.status } }, tx);
  }
  return workspace.id;
}

export const subscriptionChanged: WebhookHandler<Stripe.Subscription> = {
  async prepare(event) {
    const copy = event.data.object as Stripe.Subscription;
    try {
      return await stripe().subscriptions.retrieve(copy.id);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { ...copy, status: "canceled" } as Stripe.Subscription; // deleted for good
      throw err;
    }
  },
  apply: (tx, _event, sub) => syncSubscription(tx, sub),
};
