import { z } from "zod";
import { pageOf } from "@/lib/http/wire";
import { PayoutStatus } from "@/lib/generated/prisma/enums";

// The success bodies of the provider's money routes (their `response`): its
// earnings (lib/payouts/dashboard.ts), its payouts, and its Stripe Connect links.

const micros = z.number().int();

/** GET /api/v1/provider/earnings: balances, the last 12 weeks by state (`week`: its Monday, YYYY-MM-DD), and the Connect status. */
export const providerEarningsSchema = z.object({
  balances: z.object({ pendingMicros: micros, maturedMicros: micros, inPayoutMicros: micros, paidMicros: micros }),
  weeks: z.array(z.object({ week: z.iso.date(), pendingMicros: micros, maturedMicros: micros, paidMicros: micros })),
  connect: z.object({
    onboarded: z.boolean(),
    detailsSubmitted: z.boolean(),
    payoutsEnabled: z.boolean(),
    transfersActive: z.boolean(),
    currentlyDue: z.array(z.string()),
    disabledReason: z.string().nullable(),
    bankPayoutFailure: z.object({ code: z.string().nullable(), message: z.string(), at: z.iso.datetime() }).nullable(),
    payoutMinimumMicros: micros,
    maturityDays: z.number().int(),
  }),
});

/** GET /api/v1/provider/payouts: newest first, each with (up to 50 of) the runs it paid and how many there are. */
export const providerPayoutPageSchema = pageOf(
  z.object({
    id: z.string(),
    period: z.string(),
    amountMicros: micros,
    status: z.enum(PayoutStatus),
    failureMessage: z.string().nullable(),
    reversedMicros: micros,
    reversalReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    runCount: z.number().int(),
    runs: z.array(z.object({ runId: z.string(), amountMicros: micros })),
  }),
);

/** POST /api/v1/provider/connect and …/connect/dashboard: a one-time Stripe link to send the owner to. */
export const connectLinkSchema = z.object({ url: z.url() });
