import type Stripe from "stripe";
import { db } from "@/lib/db/client";
import { stripe } from "@/lib/billing/stripe-client";
import type { WebhookHandler } from "@/lib/billing/webhooks/types";
import { ApiError } from "@/lib/http/errors";

// Stripe Connect onboarding of a provider (issue 19): an Express account made
// once per provider, onboarding through Stripe-hosted account links, and the
// account's state as `account.updated` reports it (on the Connect webhook
// endpoint, its own secret). A provider is payable when its `transfers`
// capability is active.

/**
 * The provider's Express account (created the first time, once: the idempotency key, then a conditional
 * update) and a fresh onboarding link back to `returnUrl` (or, for a used or expired link, `refreshUrl`).
 */
export async function onboardingLink(providerId: string, urls: { returnUrl: string; refreshUrl: string }): Promise<string> {
  const provider = await db.provider.findUnique({ where: { id: providerId }, select: { stripeAccountId: true, supportEmail: true } });
  if (!provider) throw new ApiError("not_found", "Create your provider profile first.");
  let account = provider.stripeAccountId;
  if (!account) {
    const created = await stripe().accounts.create(
      { type: "express", country: "US", ...(provider.supportEmail ? { email: provider.supportEmail } : {}), capabilities: { transfers: { requested: true } }, metadata: { providerId } },
      { idempotencyKey: `connect-account:${providerId}` },
    );
    await db.provider.updateMany({ where: { id: providerId, stripeAccountId: null }, data: { stripeAccountId: created.id } });
    account = (await db.provider.findUniqueOrThrow({ where: { id: providerId }, select: { stripeAccountId: true } })).stripeAccountId!;
  }
  const link = await stripe().accountLinks.create({ account, type: "account_onboarding", return_url: urls.returnUrl, refresh_url: urls.refreshUrl });
  return link.url;
}

/** The Express dashboard (bank details, Stripe's payouts) of an onboarded provider. */
export async function dashboardLink(stripeAccountId: string): Promise<string> {
  return (await stripe().accounts.createLoginLink(stripeAccountId)).url;
}

/** The account's state as Stripe has it, copied onto its provider. */
const connectState = (a: Stripe.Account) => ({
  connectDetailsSubmitted: a.details_submitted ?? false,
  connectPayoutsEnabled: a.payouts_enabled ?? false,
  connectTransfersActive: a.capabilities?.transfers === "active",
  connectCurrentlyDue: a.requirements?.currently_due ?? [],
  connectDisabledReason: a.requirements?.disabled_reason ?? null,
  connectSyncedAt: new Date(),
});

/** Re-reads a provider's account from Stripe (the onboarding return URL: returning does not mean done). */
export async function syncConnectAccount(stripeAccountId: string): Promise<void> {
  await db.provider.updateMany({ where: { stripeAccountId }, data: connectState(await stripe().accounts.retrieve(stripeAccountId)) });
}

/** account.updated (Connect endpoint): events arrive out of order, so the account is re-read before it is applied. */
export const accountUpdated: WebhookHandler<Stripe.Account | undefined> = {
  prepare: async (event) => (event.account ? stripe().accounts.retrieve(event.account) : undefined),
  async apply(tx, event, account) {
    if (account) await tx.provider.updateMany({ where: { stripeAccountId: account.id }, data: connectState(account) });
  },
};

/** payout.failed (Connect endpoint): the provider's bank refused Stripe's payout of their balance; our ledger is unchanged, the provider is told. */
export const bankPayoutFailed: WebhookHandler = {
  async apply(tx, event) {
    const p = event.data.object as Stripe.Payout;
    if (!event.account) return;
    await tx.provider.updateMany({ where: { stripeAccountId: event.account }, data: { lastBankPayoutFailure: { code: p.failure_code ?? null, message: p.failure_message ?? "Your bank refused the payout.", at: new Date(event.created * 1000).toISOString() } } });
  },
};
