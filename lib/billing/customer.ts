import { db } from "@/lib/db/client";
import { stripe } from "./stripe-client";

/**
 * The workspace's Stripe customer, created on first need with an idempotency
 * key, so concurrent first requests create one customer; the id is stored
 * only where none is yet (the first writer wins, the other reads it back).
 */
export async function ensureStripeCustomer(workspaceId: string): Promise<string> {
  const w = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true, slug: true, stripeCustomerId: true } });
  if (w.stripeCustomerId) return w.stripeCustomerId;
  const customer = await stripe().customers.create({ name: w.name, metadata: { workspaceId, slug: w.slug } }, { idempotencyKey: `agora-customer-${workspaceId}` });
  await db.workspace.updateMany({ where: { id: workspaceId, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  return (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { stripeCustomerId: true } })).stripeCustomerId!;
}
