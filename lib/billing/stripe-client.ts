import Stripe from "stripe";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";

// The one Stripe client (SPEC §8). Retries are the SDK's own (2, honouring
// Retry-After, with the SDK's idempotency keys) for calls made while a person
// waits; Outbox sends (meter events, auto top-ups) turn them off and use the
// Outbox's policy instead — never both on one call. STRIPE_API_BASE points the
// SDK at another host (the tests' fake Stripe server).

const globalForStripe = globalThis as unknown as { agoraStripe?: Stripe | null };

export function createStripe(secretKey: string, apiBase?: string, maxNetworkRetries = 2): Stripe {
  const base = apiBase ? new URL(apiBase) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries,
    timeout: 20_000,
    telemetry: false,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === "https:" ? 443 : 80), protocol: base.protocol === "http:" ? "http" : "https" } : {}),
  });
}

/** The configured client, or null without STRIPE_SECRET_KEY. */
export function stripeOrNull(): Stripe | null {
  if (globalForStripe.agoraStripe === undefined) {
    const e = env();
    globalForStripe.agoraStripe = e.STRIPE_SECRET_KEY ? createStripe(e.STRIPE_SECRET_KEY, e.STRIPE_API_BASE) : null;
  }
  return globalForStripe.agoraStripe;
}

/** The client, or 503 `billing_not_configured` explaining what to set. */
export function stripe(): Stripe {
  const client = stripeOrNull();
  if (!client) throw new ApiError("billing_not_configured", "Stripe is not configured on this server: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (see README, Billing).");
  return client;
}

/** For tests: forget the cached client (the environment changed). */
export function resetStripeClient(): void {
  globalForStripe.agoraStripe = undefined;
}
