import type Stripe from "stripe";
import { db, type Db, type DbTx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { PermanentFailure, type Sender } from "@/lib/billing/outbox";
import type { WebhookHandler } from "@/lib/billing/webhooks/types";
import { earningsAccountId } from "@/lib/ledger/earnings";
import { hold, inLedgerTransaction, postHold, SYSTEM_ACCOUNTS, transfer, voidHold } from "@/lib/ledger/ledger";
import { now as clockNow } from "@/lib/time/clock";

// Weekly payouts to providers' Stripe Connect (Express) accounts (issue 19,
// SPEC §13). The `payouts.weekly` job books, per provider whose account can
// receive transfers and whose matured earnings reach AGORA_PAYOUT_MINIMUM_MICROS,
// ONE Payout per ISO week: a hold earnings → stripe_clearing (money in flight),
// the PayoutItems linking it to the runs it pays, and an Outbox row that makes
// the Stripe transfer (its idempotency key: the payout). The transfer's answer
// (or `transfer.created`) posts the hold: paid. A refused transfer voids it and
// a `transfer.reversed` gives the reversed amount back: matured again, with the
// reason shown to the provider. Clawbacks (refunds of shares already paid) are
// recovered first.

/** "2026-W48": the ISO week of `d` (UTC). */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const week = Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export type PayoutPayload = { payoutId: string };

/** The `payouts.weekly` job: one payout per payable provider for the week of `at` (the clock's now). Returns the payouts made. */
export async function createPayouts(db: Db, at?: Date): Promise<string[]> {
  const period = isoWeek(at ?? (await clockNow(db)));
  const providers = await db.provider.findMany({ where: { connectTransfersActive: true, stripeAccountId: { not: null } }, select: { id: true, stripeAccountId: true } });
  const made: string[] = [];
  for (const p of providers) {
    const id = await inLedgerTransaction(db, (tx) => payOut(tx, p.id, p.stripeAccountId!, period));
    if (id) made.push(id);
  }
  return made;
}

async function payOut(tx: DbTx, providerId: string, stripeAccountId: string, period: string): Promise<string | undefined> {
  const account = earningsAccountId(providerId);
  // The earnings row's lock: a second job for the same period waits here, then finds the Payout.
  const [row] = await tx.$queryRaw<{ available: bigint }[]>`SELECT "postedMicros" - "pendingDebitsMicros" AS available FROM "LedgerAccount" WHERE "id" = ${account} FOR UPDATE`;
  if (!row) return undefined;
  if (await tx.payout.findUnique({ where: { providerId_period: { providerId, period } }, select: { id: true } })) return undefined;
  let available = BigInt(row.available);
  for (const c of await tx.shareClawback.findMany({ where: { providerId, recoveredAt: null }, orderBy: { createdAt: "asc" } })) {
    if (c.amountMicros > available) break;
    await transfer(tx, { debit: account, credit: SYSTEM_ACCOUNTS.revenue, amount: c.amountMicros, reason: "share_reversal", idempotencyKey: `clawback:${c.runId}`, runId: c.runId, providerId, memo: "Refunded run's share, recovered" });
    await tx.shareClawback.update({ where: { runId: c.runId }, data: { recoveredAt: new Date() } });
    available -= c.amountMicros;
  }
  const amount = (available / 10_000n) * 10_000n; // whole cents; the rest stays
  if (amount < env().AGORA_PAYOUT_MINIMUM_MICROS) return undefined;
  const held = await hold(tx, { debit: account, credit: SYSTEM_ACCOUNTS.stripeClearing, amount, reason: "payout", idempotencyKey: `payout:${providerId}:${period}`, providerId, expiresAt: null });
  const payout = await tx.payout.create({ data: { providerId, period, amountMicros: amount, stripeAccountId, holdId: held.id } });
  // The runs it pays: matured shares not reversed and not in a payout that is still live.
  await tx.$executeRaw`
    INSERT INTO "PayoutItem" ("payoutId", "shareId", "runId", "amountMicros")
    SELECT ${payout.id}, s."id", s."runId", m."amountMicros" FROM "Transfer" s JOIN "Transfer" m ON m."pendingId" = s."id" AND m."kind" = 'POST_PENDING'
    WHERE s."reason" = 'provider_share' AND s."kind" = 'PENDING' AND s."providerId" = ${providerId}
      AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."reversesId" = m."id")
      AND NOT EXISTS (SELECT 1 FROM "PayoutItem" i JOIN "Payout" p ON p."id" = i."payoutId" WHERE i."shareId" = s."id" AND p."status" IN ('PENDING', 'SENT'))`;
  await tx.outbox.create({ data: { kind: "connect_transfer", payload: { payoutId: payout.id } satisfies PayoutPayload, idempotencyKey: `payout:${payout.id}` } });
  return payout.id;
}

/** The transfer was made (its answer, or `transfer.created` after a lost answer): the hold posted, the payout SENT. Once. */
async function bookPayout(tx: DbTx, payoutId: string, transferId: string): Promise<void> {
  const changed = await tx.payout.updateMany({ where: { id: payoutId, status: "PENDING" }, data: { status: "SENT", stripeTransferId: transferId, sentAt: new Date() } });
  if (changed.count) {
    const p = await tx.payout.findUniqueOrThrow({ where: { id: payoutId } });
    await postHold(tx, p.holdId, p.amountMicros);
  }
}

/** Stripe refused the transfer: the payout FAILED with Stripe's reason, the money back to matured earnings. */
async function failPayout(payoutId: string, err: { code?: string; type?: string; message: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const changed = await tx.payout.updateMany({ where: { id: payoutId, status: "PENDING" }, data: { status: "FAILED", failureCode: err.code ?? err.type ?? null, failureMessage: err.message } });
    if (changed.count) await voidHold(tx, (await tx.payout.findUniqueOrThrow({ where: { id: payoutId } })).holdId);
  });
}

/** The Outbox's `connect_transfer`: the payout's Stripe transfer, in whole cents, under the payout's idempotency key. */
export const connectTransfer: Sender = async (row, stripe) => {
    const p = await db.payout.findUniqueOrThrow({ where: { id: (row.payload as PayoutPayload).payoutId } });
    if (p.status !== "PENDING") return; // booked already
    // A retry after a lost answer (Stripe keeps keys 24 h): the transfer may exist already.
    let t = row.attempts > 0 ? (await stripe.transfers.list({ transfer_group: p.id, limit: 1 })).data[0] : undefined;
    try {
      t ??= await stripe.transfers.create(
        { amount: Number(p.amountMicros / 10_000n), currency: "usd", destination: p.stripeAccountId, transfer_group: p.id, metadata: { payoutId: p.id, providerId: p.providerId, period: p.period } },
        { idempotencyKey: row.idempotencyKey },
      );
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500 && status !== 409 && status !== 429) {
        await failPayout(p.id, err as Error & { code?: string });
        throw new PermanentFailure((err as Error).message);
      }
      throw err; // 5xx / network: retried with the same key
    }
    await db.$transaction((tx) => bookPayout(tx, p.id, t.id));
};

/** transfer.created (platform endpoint): books a payout whose transfer's answer was lost. */
export const transferCreated: WebhookHandler = {
  async apply(tx, event) {
    const t = event.data.object as Stripe.Transfer;
    if (t.metadata?.payoutId) await bookPayout(tx, t.metadata.payoutId, t.id);
  },
};

/**
 * transfer.reversed (platform endpoint; also partial, `amount_reversed` cumulative): the newly reversed part goes
 * back stripe_clearing → earnings (matured again), once per cumulative amount, and the payout shows why.
 */
export const transferReversed: WebhookHandler = {
  async apply(tx, event) {
    const t = event.data.object as Stripe.Transfer;
    // Locked: two reversal events at once (cumulative 100, then 300) must not both start from the same reversedMicros.
    const [p] = await tx.$queryRaw<{ id: string; providerId: string; reversedMicros: bigint }[]>`SELECT "id", "providerId", "reversedMicros" FROM "Payout" WHERE "stripeTransferId" = ${t.id} FOR UPDATE`;
    if (!p) return;
    const delta = BigInt(t.amount_reversed) * 10_000n - p.reversedMicros;
    if (delta <= 0n) return;
    const reason = t.reversals?.data?.[0]?.metadata?.reason ?? "Reversed in Stripe";
    await transfer(tx, { debit: SYSTEM_ACCOUNTS.stripeClearing, credit: earningsAccountId(p.providerId), amount: delta, reason: "payout_reversed", idempotencyKey: `payout:${p.id}:reversed:${t.amount_reversed}`, providerId: p.providerId, memo: reason });
    await tx.payout.update({ where: { id: p.id }, data: { reversedMicros: { increment: delta }, reversalReason: reason, status: t.reversed ? "REVERSED" : "PARTIALLY_REVERSED" } });
  },
};
