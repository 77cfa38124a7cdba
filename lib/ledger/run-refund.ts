import type { Db, DbTx } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Transfer } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { InsufficientFunds, inLedgerTransaction, reverse, voidHold } from "@/lib/ledger/ledger";

// Refunding a run (an admin's action, issue 19): the customer gets the charge
// back and, for a third-party package's run, the provider's share and the
// platform's fee are taken back too — every transfer carrying the run's id, so
// the refund is visible on the run. Earnings never go negative: a share already
// paid out (or reserved for a payout) becomes a ShareClawback the next payouts
// recover.

export type ShareOutcome = "none" | "voided" | "reversed" | "clawback";

/** The run's transfer under `key`, locked, with the resolution of it when it is a hold. */
async function keyed(tx: DbTx, key: string): Promise<(Transfer & { resolution: Pick<Transfer, "id" | "kind"> | null }) | undefined> {
  const [t] = await tx.$queryRaw<Transfer[]>`SELECT * FROM "Transfer" WHERE "idempotencyKey" = ${key} FOR UPDATE`;
  if (!t) return undefined;
  const resolution = await tx.transfer.findUnique({ where: { pendingId: t.id }, select: { id: true, kind: true } });
  return { ...t, amountMicros: BigInt(t.amountMicros), resolution };
}

/**
 * Refunds a charged PREPAID run in one transaction: the charge back to the
 * wallet (`run:<id>:refund`); the provider's share voided while pending,
 * reversed once matured (`run:<id>:share_reversal`), or owed back as a
 * ShareClawback when the earnings no longer hold it; the fee reversed
 * (`run:<id>:fee_reversal`); audit-logged. 404 for an unknown run, 400 for a
 * run charged nothing or billed by invoice (METERED), 409 when refunded already.
 */
export async function refundRun(db: Db, o: { runId: string; actorUserId: string; memo: string; ip?: string | null }): Promise<{ refundedMicros: bigint; share: ShareOutcome }> {
  return inLedgerTransaction(db, async (tx) => {
    const run = await tx.run.findUnique({ where: { id: o.runId }, select: { id: true, workspaceId: true, providerShareMicros: true } });
    if (!run) throw new ApiError("not_found", "No such run.");
    const [charge] = await tx.$queryRaw<{ id: string; amountMicros: bigint; wallet: boolean }[]>`
      SELECT t."id", t."amountMicros", a."kind" = 'WORKSPACE_CREDITS' AS wallet FROM "Transfer" t JOIN "LedgerAccount" a ON a."id" = t."debitAccountId"
      WHERE t."runId" = ${run.id} AND t."reason" = 'run_charge' AND t."kind" = 'POST_PENDING' AND t."amountMicros" > 0`;
    if (!charge) throw new ApiError("bad_request", "This run was charged nothing; there is nothing to refund.");
    if (!charge.wallet) throw new ApiError("bad_request", "This run was billed on the workspace's invoice (metered); refund it in Stripe.");
    if (await tx.transfer.findUnique({ where: { reversesId: charge.id }, select: { id: true } })) throw new ApiError("conflict", "This run was refunded already.");
    const by = { actorUserId: o.actorUserId, memo: o.memo };
    await reverse(tx, charge.id, "refund", `run:${run.id}:refund`, by);

    let share: ShareOutcome = "none";
    const held = await keyed(tx, `run:${run.id}:share`);
    if (held && !held.resolution) {
      await voidHold(tx, held);
      share = "voided";
    } else if (held?.resolution?.kind === "POST_PENDING") {
      share = await reverseShare(tx, held.resolution.id, run.id, held.providerId!, held.amountMicros, by);
    }
    const fee = await tx.transfer.findUnique({ where: { idempotencyKey: `run:${run.id}:fee` }, select: { id: true } });
    if (fee) await reverse(tx, fee.id, "refund", `run:${run.id}:fee_reversal`, by);
    await recordAudit({ action: "admin.run.refunded", actorUserId: o.actorUserId, workspaceId: run.workspaceId, target: run.id, metadata: { amountMicros: String(charge.amountMicros), share, reason: o.memo }, ip: o.ip ?? null }, tx);
    return { refundedMicros: BigInt(charge.amountMicros), share };
  });
}

/**
 * A matured share taken back from the earnings (lock order as the finish and the payouts: the transfer, then the
 * earnings row, whose balance `reverse` guards), or — they no longer hold it: paid, or reserved for a payout — owed
 * back. A refused reversal writes nothing, so the transaction goes on.
 */
async function reverseShare(tx: DbTx, postingId: string, runId: string, providerId: string, amount: bigint, by: { actorUserId: string; memo: string }): Promise<ShareOutcome> {
  try {
    await reverse(tx, postingId, "share_reversal", `run:${runId}:share_reversal`, by);
    return "reversed";
  } catch (err) {
    if (!(err instanceof InsufficientFunds)) throw err;
    await tx.shareClawback.create({ data: { runId, providerId, amountMicros: amount } });
    return "clawback";
  }
}
