import type Stripe from "stripe";
import type { DbTx } from "@/lib/db/client";

/**
 * One Stripe event type's handling: `prepare` reads from Stripe before the
 * transaction (no network call holds a database transaction open), `apply`
 * changes our state inside the transaction that also records the event as
 * processed — so an event is applied exactly once, or not at all. `apply` returns
 * the id of a workspace whose plan or payment standing it may have changed: its
 * cached API-key principals are dropped after the commit.
 */
export type WebhookHandler<P = unknown> = {
  prepare?(event: Stripe.Event): Promise<P>;
  apply(tx: DbTx, event: Stripe.Event, prepared: P): Promise<string | void>;
};

/** The workspace a Stripe customer belongs to (null: not ours, e.g. another app on the same account). */
export async function workspaceForCustomer(tx: DbTx, customer: string | { id: string } | null | undefined) {
  const id = typeof customer === "string" ? customer : customer?.id;
  if (!id) return null;
  return tx.workspace.findUnique({ where: { stripeCustomerId: id }, select: { id: true, tierCode: true, pastDueSince: true } });
}
