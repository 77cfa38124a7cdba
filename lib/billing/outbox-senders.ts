import type Stripe from "stripe";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { connectTransfer } from "@/lib/payouts/payouts";
import { creditPayment } from "./credits";
import { PermanentFailure, type OutboxRow, type Sender } from "./outbox";

// What each Outbox kind does at Stripe.

export type MeterEventPayload = { customer: string; runId: string; valueMicros: string; timestamp: number };
export type AutoTopUpPayload = { amountMicros: string };

/** A settled METERED run's price, as a Billing Meter event; `identifier` = the run id, so Stripe counts it once. */
const meterEvent: Sender = async (row, stripe) => {
  const p = row.payload as MeterEventPayload;
  try {
    await stripe.billing.meterEvents.create({
      event_name: env().STRIPE_METER_EVENT_NAME,
      identifier: p.runId,
      timestamp: p.timestamp,
      payload: { stripe_customer_id: p.customer, value: p.valueMicros },
    });
  } catch (err) {
    // Already recorded by Stripe (a previous attempt's answer was lost): that is success.
    if ((err as { code?: string }).code === "resource_already_exists") return;
    throw err;
  }
};

/** An auto top-up: the saved card charged off-session, credited at once (a webhook for the same payment credits nothing). */
const autoTopUp: Sender = async (row: OutboxRow, stripe: Stripe) => {
  const p = row.payload as AutoTopUpPayload;
  const workspaceId = row.workspaceId!;
  const w = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { stripeCustomerId: true, stripePaymentMethodId: true } });
  const outcome = (result: string, metadata: Record<string, unknown> = {}) =>
    recordAudit({ action: "billing.auto_top_up", workspaceId, target: row.idempotencyKey, metadata: { outcome: result, amountMicros: Number(p.amountMicros), ...metadata } });
  if (!w.stripeCustomerId || !w.stripePaymentMethodId) {
    await outcome("failed", { reason: "no saved payment method" });
    throw new PermanentFailure("No saved payment method: make a top-up first.");
  }
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe.paymentIntents.create(
      {
        amount: Number(BigInt(p.amountMicros) / 10_000n),
        currency: "usd",
        customer: w.stripeCustomerId,
        payment_method: w.stripePaymentMethodId,
        off_session: true,
        confirm: true,
        metadata: { workspaceId, kind: "auto_top_up" },
      },
      { idempotencyKey: row.idempotencyKey },
    );
  } catch (err) {
    if ((err as { type?: string }).type === "StripeCardError") {
      await outcome("failed", { reason: (err as Error).message });
      throw new PermanentFailure((err as Error).message);
    }
    throw err; // 429 / 5xx / network: retried by the Outbox
  }
  if (intent.status !== "succeeded") {
    await outcome("failed", { reason: `payment ${intent.status}` });
    throw new PermanentFailure(`The payment needs attention (${intent.status}).`);
  }
  await db.$transaction(async (tx) => {
    await creditPayment(tx, { workspaceId, paymentIntentId: intent.id, amountMicros: BigInt(p.amountMicros), reason: "auto_top_up" });
  });
  await outcome("succeeded", { paymentIntent: intent.id });
};

export const outboxSenders: Record<string, Sender> = { meter_event: meterEvent, auto_top_up: autoTopUp, connect_transfer: connectTransfer };
