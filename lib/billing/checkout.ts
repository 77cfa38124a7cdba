import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireUser } from "@/lib/auth/permissions";
import { assertCan } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { ensureStripeCustomer } from "./customer";
import { stripe } from "./stripe-client";

// Checkout (SPEC §8): credit top-ups in payment mode, plans in subscription
// mode, and the Customer Portal. Owners only; the URLs come back to /billing.

export const TOP_UP_PRESETS_MICROS = [10_000_000, 50_000_000, 100_000_000] as const;
export const MIN_TOP_UP_MICROS = 5_000_000;
export const MAX_TOP_UP_MICROS = 10_000_000_000; // $10,000

export const checkoutBodySchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("top_up"),
    amountMicros: z
      .number()
      .int()
      .min(MIN_TOP_UP_MICROS, "Top-ups start at $5.")
      .max(MAX_TOP_UP_MICROS, "Top-ups go up to $10,000.")
      .refine((v) => v % 10_000 === 0, "Whole cents only."),
  }),
  z.strictObject({ kind: z.literal("subscription"), tier: z.enum(["basic", "pro"]) }),
]);

function owner(principal: Principal) {
  assertCan(principal, "members.manage"); // owners manage billing
  return requireUser(principal);
}

export async function createCheckout(principal: Principal, body: z.output<typeof checkoutBodySchema>, appUrl: string, ip: string | null): Promise<{ url: string }> {
  const user = owner(principal);
  const workspaceId = user.workspace.id;
  const customer = await ensureStripeCustomer(workspaceId);
  const returnTo = `${appUrl}/billing`;
  let session;
  if (body.kind === "top_up") {
    const cents = body.amountMicros / 10_000;
    session = await stripe().checkout.sessions.create({
      mode: "payment",
      customer,
      line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: cents, product_data: { name: "Agora credits" } } }],
      // Saved for off-session charges: auto top-up.
      payment_intent_data: { setup_future_usage: "off_session", metadata: { workspaceId, kind: "top_up" } },
      metadata: { workspaceId, kind: "top_up", amountMicros: String(body.amountMicros) },
      success_url: `${returnTo}?checkout=success&session={CHECKOUT_SESSION_ID}`,
      cancel_url: `${returnTo}?checkout=canceled`,
    });
  } else {
    const tier = await db.tier.findUniqueOrThrow({ where: { code: body.tier }, select: { name: true, stripePriceId: true } });
    if (!tier.stripePriceId) throw new ApiError("bad_request", `The ${tier.name} plan has no Stripe price yet: run npm run stripe:setup and set STRIPE_PRICE_${body.tier.toUpperCase()}.`);
    const current = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { stripeSubscriptionId: true, stripeSubscriptionStatus: true } });
    if (current.stripeSubscriptionId && current.stripeSubscriptionStatus !== "canceled") {
      throw new ApiError("conflict", "This workspace already has a subscription: change or cancel it with Manage billing.");
    }
    session = await stripe().checkout.sessions.create({
      mode: "subscription",
      customer,
      line_items: [{ price: tier.stripePriceId, quantity: 1 }],
      subscription_data: { metadata: { workspaceId } },
      metadata: { workspaceId, kind: "subscription", tier: body.tier },
      success_url: `${returnTo}?checkout=success&session={CHECKOUT_SESSION_ID}`,
      cancel_url: `${returnTo}?checkout=canceled`,
    });
  }
  await recordAudit({ action: "billing.checkout_started", actorUserId: user.userId, workspaceId, target: session.id, metadata: body, ip });
  if (!session.url) throw new ApiError("payment_provider_error", "Stripe returned no Checkout URL.");
  return { url: session.url };
}

/** A Customer Portal session (invoices, payment methods, plan changes and cancellation, on Stripe). */
export async function createPortalSession(principal: Principal, appUrl: string): Promise<{ url: string }> {
  const user = owner(principal);
  const customer = await ensureStripeCustomer(user.workspace.id);
  const session = await stripe().billingPortal.sessions.create({ customer, return_url: `${appUrl}/billing` });
  return { url: session.url };
}
