import { z } from "zod";
import { isoDate, wholeNumber } from "@/lib/http/wire";

// What the billing routes (and GET /api/v1/me) send, as it is on the wire (lib/http/route.ts `response`):
// billing-overview.ts getBilling and walletHistory, checkout.ts createCheckout and createPortalSession.

const micros = wholeNumber;

/** The workspace's credit (micro-USD): posted, held by running runs, and available = posted − held. */
export const balanceSchema = z.object({ availableMicros: micros, postedMicros: micros, heldMicros: micros }).meta({ id: "Balance" });

export const billingSchema = z.object({
  configured: z.boolean().describe("Whether Stripe is configured on this server."),
  canManage: z.boolean(),
  plan: z.object({ tier: z.string(), paymentMode: z.enum(["PREPAID", "METERED"]), subscriptionStatus: z.string().nullable(), hasSubscription: z.boolean(), monthlySpendCapMicros: micros.nullable() }),
  pastDue: z.object({ since: isoDate, graceEndsAt: isoDate }).nullable(),
  balance: balanceSchema,
  autoTopUp: z.object({
    thresholdMicros: micros.nullable(),
    amountMicros: micros.nullable(),
    armed: z.boolean(),
    hasPaymentMethod: z.boolean(),
    last: z.looseObject({ at: isoDate }).nullable().describe("The last automatic top-up and what it recorded."),
  }),
  plans: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      monthlyPriceMicros: micros.nullable(),
      includedCreditsMicros: micros.nullable(),
      requestsPerMinute: z.number().int(),
      runsPerHour: z.number().int(),
      concurrentRuns: z.number().int(),
      tokensPerDay: z.number().int(),
      priceMultiplierBps: z.number().int(),
      purchasable: z.boolean(),
      current: z.boolean(),
    }),
  ),
  invoices: z.array(
    z.object({
      id: z.string(),
      number: z.string().nullable(),
      status: z.string().nullable(),
      amountDueCents: z.number().int(),
      amountPaidCents: z.number().int(),
      currency: z.string(),
      created: isoDate,
      hostedUrl: z.string().nullable(),
      pdfUrl: z.string().nullable(),
    }),
  ),
  invoicesError: z.string().nullable(),
});

export const walletHistorySchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      at: isoDate,
      reason: z.string(),
      amountMicros: micros.describe("Positive into the wallet, negative out of it."),
      runId: z.string().nullable(),
      agentName: z.string().nullable(),
      reference: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** Where to send the browser: Stripe Checkout or the Customer Portal. */
export const redirectUrlSchema = z.object({ url: z.url() });
