import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, requireUser } from "@/lib/auth/permissions";
import { forgetPrincipals, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { microsJson } from "@/lib/money/format";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { paginationQuerySchema } from "@/lib/http/pagination";
import { isoDate, microsAmount, pageOf } from "@/lib/http/wire";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { log } from "@/lib/observability/log";
import { microsInputSchema } from "@/lib/workspaces/budget-settings";
import { graceEndsAt } from "./past-due";
import { stripeOrNull } from "./stripe-client";

// GET /api/v1/billing: everything the billing page shows, in one answer.

const m = (v: bigint | null) => (v === null ? null : microsJson(v));

async function invoicesOf(customer: string | null) {
  const client = stripeOrNull();
  if (!client || !customer) return { invoices: [], invoicesError: null };
  try {
    const list = await client.invoices.list({ customer, limit: 12 });
    return {
      invoices: list.data.map((i) => ({
        id: i.id,
        number: i.number,
        status: i.status,
        amountDueCents: i.amount_due,
        amountPaidCents: i.amount_paid,
        currency: i.currency,
        created: new Date(i.created * 1000).toISOString(),
        hostedUrl: i.hosted_invoice_url ?? null,
        pdfUrl: i.invoice_pdf ?? null,
      })),
      invoicesError: null,
    };
  } catch (err) {
    log.warn("could not list invoices", { err: (err as Error).message });
    return { invoices: [], invoicesError: "Stripe did not answer; invoices will show again shortly." };
  }
}

export async function getBilling(principal: Principal) {
  const w = await db.workspace.findUniqueOrThrow({
    where: { id: principal.workspace.id },
    select: {
      tierCode: true,
      paymentMode: true,
      stripeCustomerId: true,
      stripeSubscriptionId: true,
      stripeSubscriptionStatus: true,
      stripePaymentMethodId: true,
      pastDueSince: true,
      monthlySpendCapMicros: true,
      autoTopUpThresholdMicros: true,
      autoTopUpAmountMicros: true,
      autoTopUpArmed: true,
    },
  });
  const [tiers, balance, lastAutoTopUp, invoices] = await Promise.all([
    db.tier.findMany({ orderBy: { sortOrder: "asc" } }),
    workspaceBalance(db, principal.workspace.id),
    db.auditLog.findFirst({ where: { workspaceId: principal.workspace.id, action: "billing.auto_top_up" }, orderBy: { createdAt: "desc" }, select: { createdAt: true, metadata: true } }),
    invoicesOf(w.stripeCustomerId),
  ]);
  return {
    configured: stripeOrNull() !== null,
    canManage: principal.kind === "user" && principal.role === "OWNER",
    plan: { tier: w.tierCode, paymentMode: w.paymentMode, subscriptionStatus: w.stripeSubscriptionStatus, hasSubscription: Boolean(w.stripeSubscriptionId), monthlySpendCapMicros: m(w.monthlySpendCapMicros) },
    pastDue: w.pastDueSince ? { since: w.pastDueSince.toISOString(), graceEndsAt: graceEndsAt(w.pastDueSince)!.toISOString() } : null,
    balance: { availableMicros: microsJson(balance.availableMicros), postedMicros: microsJson(balance.postedMicros), heldMicros: microsJson(balance.pendingDebitsMicros) },
    autoTopUp: {
      thresholdMicros: m(w.autoTopUpThresholdMicros),
      amountMicros: m(w.autoTopUpAmountMicros),
      armed: w.autoTopUpArmed,
      hasPaymentMethod: Boolean(w.stripePaymentMethodId),
      last: lastAutoTopUp ? { at: lastAutoTopUp.createdAt.toISOString(), ...(lastAutoTopUp.metadata as Record<string, unknown>) } : null,
    },
    plans: tiers.map((t) => ({
      code: t.code,
      name: t.name,
      monthlyPriceMicros: m(t.monthlyPriceMicros),
      includedCreditsMicros: m(t.includedCreditsMicros),
      requestsPerMinute: t.requestsPerMinute,
      runsPerHour: t.runsPerHour,
      concurrentRuns: t.concurrentRuns,
      tokensPerDay: Number(t.tokensPerDay),
      priceMultiplierBps: t.priceMultiplierBps,
      purchasable: Boolean(t.stripePriceId),
      current: t.code === w.tierCode,
    })),
    ...invoices,
  };
}

export const billingSettingsBodySchema = z
  .strictObject({
    autoTopUp: z
      .strictObject({
        thresholdMicros: microsInputSchema,
        amountMicros: microsInputSchema.min(5_000_000, "Auto top-ups start at $5.").refine((v) => v % 10_000 === 0, "Whole cents only."),
      })
      .nullable()
      .optional(),
    paymentMode: z.enum(["PREPAID", "METERED"]).optional(),
  })
  .refine((b) => b.autoTopUp !== undefined || b.paymentMode !== undefined, "Send autoTopUp or paymentMode.");

/** Owners set auto top-up (or turn it off with null) and, on Pro or Enterprise, the payment mode; audit-logged. */
export async function updateBillingSettings(principal: Principal, body: z.output<typeof billingSettingsBodySchema>, ip: string | null) {
  assertCan(principal, "members.manage");
  const user = requireUser(principal);
  const w = await db.workspace.findUniqueOrThrow({ where: { id: user.workspace.id }, select: { tierCode: true, monthlySpendCapMicros: true, stripeCustomerId: true } });
  if (body.autoTopUp && !stripeOrNull()) throw new ApiError("billing_not_configured", "Auto top-up needs Stripe: set STRIPE_SECRET_KEY.");
  if (body.paymentMode === "METERED") {
    if (!["pro", "enterprise"].includes(w.tierCode)) throw new ApiError("bad_request", "Metered billing is an option of the Pro and Enterprise plans.");
    if (w.monthlySpendCapMicros === null) throw new ApiError("bad_request", "Set a monthly spend cap first: it bounds what a metered workspace can spend.");
    if (!w.stripeCustomerId) throw new ApiError("bad_request", "Metered billing needs a Stripe customer: subscribe to the plan first.");
  }
  await db.$transaction(async (tx) => {
    await tx.workspace.update({
      where: { id: user.workspace.id },
      data: {
        ...(body.paymentMode ? { paymentMode: body.paymentMode } : {}),
        ...(body.autoTopUp === undefined
          ? {}
          : body.autoTopUp === null
            ? { autoTopUpThresholdMicros: null, autoTopUpAmountMicros: null, autoTopUpArmed: true }
            : { autoTopUpThresholdMicros: BigInt(body.autoTopUp.thresholdMicros), autoTopUpAmountMicros: BigInt(body.autoTopUp.amountMicros), autoTopUpArmed: true }),
      },
    });
    await recordAudit({ action: "billing.settings_changed", actorUserId: user.userId, workspaceId: user.workspace.id, target: user.workspace.id, metadata: body, ip }, tx);
  });
  if (body.paymentMode) await forgetPrincipals({ workspaceId: user.workspace.id });
  return getBilling(principal);
}

export const ledgerQuerySchema = paginationQuerySchema;

/** A wallet's balance: posted, held by runs in progress, and what is available to spend (posted − held). */
export const walletBalanceSchema = z.strictObject({ availableMicros: microsAmount, postedMicros: microsAmount, heldMicros: microsAmount });

/** One movement of the wallet (walletHistory): positive in, negative out. */
export const walletMovementSchema = z.strictObject({
  id: z.string(),
  at: isoDate,
  reason: z.string(),
  amountMicros: microsAmount,
  runId: z.string().nullable(),
  agentName: z.string().nullable(),
  reference: z.string().nullable(),
});
export const walletHistorySchema = pageOf(walletMovementSchema);

/** The wallet's movements, newest first: top-ups, grants, run charges (with the agent's name), refunds (holds show once resolved). */
export async function walletHistory(workspaceId: string, q: z.output<typeof ledgerQuerySchema>) {
  const wallet = await db.ledgerAccount.findUnique({ where: { workspaceId }, select: { id: true } });
  if (!wallet) return { data: [], nextCursor: null };
  const rows = await db.transfer.findMany({
    where: { OR: [{ debitAccountId: wallet.id }, { creditAccountId: wallet.id }], kind: { in: ["POSTED", "POST_PENDING"] }, amountMicros: { gt: 0 }, ...newestFirstAfter(q.cursor) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: { id: true, createdAt: true, reason: true, amountMicros: true, creditAccountId: true, runId: true, externalRef: true },
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  const runIds = [...new Set(page.flatMap((t) => (t.runId ? [t.runId] : [])))];
  const runs = runIds.length ? await db.run.findMany({ where: { id: { in: runIds } }, select: { id: true, package: { select: { name: true } } } }) : [];
  const agentNames = new Map(runs.map((r) => [r.id, r.package.name]));
  return {
    data: page.map((t) => ({
      id: t.id,
      at: t.createdAt.toISOString(),
      reason: t.reason,
      amountMicros: microsJson(t.creditAccountId === wallet.id ? t.amountMicros : -t.amountMicros),
      runId: t.runId,
      agentName: t.runId ? (agentNames.get(t.runId) ?? null) : null,
      reference: t.externalRef,
    })),
    nextCursor,
  };
}
