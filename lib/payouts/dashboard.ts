import type { z } from "zod";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { earningsAccountId } from "@/lib/ledger/earnings";
import { microsJson } from "@/lib/money/format";
import { paginationQuery } from "@/lib/http/pagination";
import type { providerEarningsSchema, providerPayoutPageSchema } from "./schemas";

// The money half of a provider's dashboard (/provider, issue 19): what it
// earned — pending (not yet matured), matured (payable), in a payout, paid —
// by week, its payouts with the runs they paid, and its Stripe Connect status.

/** The workspace's provider, or 404: only a provider has earnings. */
export async function workspaceProvider(workspaceId: string) {
  const p = await db.provider.findUnique({ where: { workspaceId } });
  if (!p) throw new ApiError("not_found", "This workspace is not a provider yet; create its provider profile first.");
  return p;
}

const WEEKS = 12;

/** Balances, the last 12 weeks by state (by when the run finished), and the Connect status. */
export async function providerEarnings(workspaceId: string): Promise<z.infer<typeof providerEarningsSchema>> {
  const p = await workspaceProvider(workspaceId);
  const account = await db.ledgerAccount.findUnique({ where: { id: earningsAccountId(p.id) } });
  const [paid] = await db.$queryRaw<{ paid: bigint }[]>`
    SELECT coalesce(sum(CASE WHEN "reason" = 'payout' THEN "amountMicros" ELSE -"amountMicros" END), 0)::bigint AS paid FROM "Transfer"
    WHERE "providerId" = ${p.id} AND (("reason" = 'payout' AND "kind" = 'POST_PENDING') OR "reason" = 'payout_reversed')`;
  // Each share once, in its state: pending (unresolved), paid (in a sent payout), matured (posted, not taken back).
  const weeks = await db.$queryRaw<{ week: Date; state: string; micros: bigint }[]>`
    SELECT date_trunc('week', s."createdAt") AS week,
      CASE WHEN m."id" IS NULL THEN 'pending'
           WHEN EXISTS (SELECT 1 FROM "PayoutItem" i JOIN "Payout" po ON po."id" = i."payoutId" WHERE i."shareId" = s."id" AND po."status" = 'SENT') THEN 'paid'
           ELSE 'matured' END AS state,
      sum(s."amountMicros")::bigint AS micros
    FROM "Transfer" s LEFT JOIN "Transfer" m ON m."pendingId" = s."id"
    WHERE s."providerId" = ${p.id} AND s."reason" = 'provider_share' AND s."kind" = 'PENDING' AND s."createdAt" >= now() - make_interval(weeks => ${WEEKS})
      AND (m."id" IS NULL OR (m."kind" = 'POST_PENDING' AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."reversesId" = m."id")))
    GROUP BY 1, 2 ORDER BY 1`;
  const byWeek = new Map<string, { week: string; pendingMicros: number; maturedMicros: number; paidMicros: number }>();
  for (const w of weeks) {
    const week = w.week.toISOString().slice(0, 10);
    const row = byWeek.get(week) ?? { week, pendingMicros: 0, maturedMicros: 0, paidMicros: 0 };
    row[`${w.state as "pending" | "matured" | "paid"}Micros`] += microsJson(BigInt(w.micros));
    byWeek.set(week, row);
  }
  return {
    balances: {
      pendingMicros: microsJson(account?.pendingCreditsMicros ?? 0n),
      maturedMicros: microsJson(account ? account.postedMicros - account.pendingDebitsMicros : 0n),
      inPayoutMicros: microsJson(account?.pendingDebitsMicros ?? 0n),
      paidMicros: microsJson(BigInt(paid?.paid ?? 0n)),
    },
    weeks: [...byWeek.values()],
    connect: {
      onboarded: Boolean(p.stripeAccountId),
      detailsSubmitted: p.connectDetailsSubmitted,
      payoutsEnabled: p.connectPayoutsEnabled,
      transfersActive: p.connectTransfersActive,
      currentlyDue: p.connectCurrentlyDue,
      disabledReason: p.connectDisabledReason,
      bankPayoutFailure: p.lastBankPayoutFailure as { code: string | null; message: string; at: string } | null,
      payoutMinimumMicros: microsJson(env().AGORA_PAYOUT_MINIMUM_MICROS),
      maturityDays: env().AGORA_EARNINGS_MATURITY_DAYS,
    },
  };
}
export type ProviderEarnings = Awaited<ReturnType<typeof providerEarnings>>;

export const payoutsQuerySchema = paginationQuery({ defaultLimit: 20 });
const ITEMS_SHOWN = 50;

/** The provider's payouts, newest first, each with its status, failure or reversal reason, and (up to 50 of) the runs it paid. */
export async function providerPayouts(workspaceId: string, q: { cursor?: string; limit: number }): Promise<z.infer<typeof providerPayoutPageSchema>> {
  const p = await workspaceProvider(workspaceId);
  const rows = await db.payout.findMany({
    where: { providerId: p.id, ...newestFirstAfter(q.cursor) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    include: { items: { take: ITEMS_SHOWN, orderBy: { runId: "asc" } }, _count: { select: { items: true } } },
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return {
    data: page.map((po) => ({
      id: po.id,
      period: po.period,
      amountMicros: microsJson(po.amountMicros),
      status: po.status,
      failureMessage: po.failureMessage,
      reversedMicros: microsJson(po.reversedMicros),
      reversalReason: po.reversalReason,
      createdAt: po.createdAt.toISOString(),
      sentAt: po.sentAt?.toISOString() ?? null,
      runCount: po._count.items,
      runs: po.items.map((i) => ({ runId: i.runId, amountMicros: microsJson(i.amountMicros) })),
    })),
    nextCursor,
  };
}
export type ProviderPayout = Awaited<ReturnType<typeof providerPayouts>>["data"][number];
