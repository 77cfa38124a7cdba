import type Stripe from "stripe";
import { forgetPrincipals } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { log } from "@/lib/observability/log";
import { stripe } from "../stripe-client";
import { chargeRefunded } from "./charge-refunded";
import { checkoutSessionCompleted } from "./checkout-session-completed";
import { subscriptionChanged } from "./customer-subscription-changed";
import { invoicePaid } from "./invoice-paid";
import { invoicePaymentFailed } from "./invoice-payment-failed";
import type { WebhookHandler } from "./types";
import { accountUpdated, bankPayoutFailed } from "@/lib/payouts/connect";
import { transferCreated, transferReversed } from "@/lib/payouts/payouts";

// POST /api/stripe/webhook (SPEC §8): the raw body's signature is verified
// (5-minute tolerance); the event is claimed by id in the transaction that
// applies it — a redelivery, concurrent or later, finds the claim and changes
// nothing; a 2xx is sent only after that transaction commits. A non-2xx goes
// back only when a retry could help (our database or Stripe failing).

/** A handler whose prepared value is only ever passed back to itself. */
const erased = <P>(h: WebhookHandler<P>) => h as unknown as WebhookHandler<unknown>;

const handlers: Record<string, WebhookHandler<unknown>> = {
  "checkout.session.completed": erased(checkoutSessionCompleted),
  "customer.subscription.created": erased(subscriptionChanged),
  "customer.subscription.updated": erased(subscriptionChanged),
  "customer.subscription.deleted": erased(subscriptionChanged),
  "invoice.paid": invoicePaid,
  "invoice.payment_failed": invoicePaymentFailed,
  "charge.refunded": chargeRefunded,
  "transfer.created": transferCreated,
  "transfer.reversed": transferReversed,
};

/** The Connect endpoint's events (its connected accounts'; POST /api/stripe/connect-webhook, STRIPE_CONNECT_WEBHOOK_SECRET). */
export const connectHandlers: Record<string, WebhookHandler<unknown>> = {
  "account.updated": erased(accountUpdated),
  "payout.failed": bankPayoutFailed,
};

export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Processed event ids are kept at least this long (Stripe retries for up to 3 days). */
export const EVENT_RETENTION_DAYS = 35;

/** Verifies the signature and parses the event; 400 `invalid_signature` otherwise. */
export function verifyEvent(rawBody: string, signature: string | null, connect = false): Stripe.Event {
  const secret = connect ? env().STRIPE_CONNECT_WEBHOOK_SECRET : env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new ApiError("billing_not_configured", `Stripe webhooks are not configured on this server (${connect ? "STRIPE_CONNECT_WEBHOOK_SECRET" : "STRIPE_WEBHOOK_SECRET"}).`);
  if (!signature) throw new ApiError("invalid_signature", "Missing Stripe-Signature header.");
  try {
    return stripe().webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (err) {
    throw new ApiError("invalid_signature", `Webhook signature verification failed: ${(err as Error).message}`);
  }
}

export type Outcome = "processed" | "duplicate" | "ignored";

export async function processEvent(event: Stripe.Event, handlerMap: Record<string, WebhookHandler<unknown>> = handlers): Promise<Outcome> {
  const handler = handlerMap[event.type];
  if (!handler) return "ignored"; // an event type we did not subscribe to: acknowledged
  if (await db.stripeEvent.findFirst({ where: { id: event.id, processedAt: { not: null } }, select: { id: true } })) return "duplicate";
  const prepared = handler.prepare ? await handler.prepare(event) : undefined;
  const { outcome, changedWorkspaceId } = await db.$transaction(
    async (tx) => {
      // The claim: a concurrent delivery of the same event waits here, then finds it taken.
      const claimed = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "StripeEvent" ("id", "type", "processedAt") VALUES (${event.id}, ${event.type}, now())
        ON CONFLICT ("id") DO NOTHING RETURNING "id"`;
      if (!claimed.length) return { outcome: "duplicate" as const };
      return { outcome: "processed" as const, changedWorkspaceId: await handler.apply(tx, event, prepared) };
    },
    { timeout: 15_000 },
  );
  if (changedWorkspaceId) await forgetPrincipals({ workspaceId: changedWorkspaceId });
  return outcome;
}

/** Deletes processed event ids older than EVENT_RETENTION_DAYS (the outbox worker calls it). */
export async function pruneStripeEvents(now = new Date()): Promise<number> {
  const { count } = await db.stripeEvent.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - EVENT_RETENTION_DAYS * 86_400_000) } } });
  if (count) log.info("pruned processed Stripe events", { count });
  return count;
}
