import { db, type DbTx } from "@/lib/db/client";
import type { Contract, Transfer, Work } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { maturesAt, providerTerms } from "@/lib/ledger/earnings";
import { hold, InsufficientFunds, postHold, SYSTEM_ACCOUNTS, transfer, voidHold, walletFor } from "@/lib/ledger/ledger";
import { formatUsd } from "@/lib/money/format";
import { PLATFORM_PROVIDER } from "@/lib/providers/schemas";

// The exchange's money (SPEC §13 "Exchange"), every movement a ledger posting
// with an idempotency key (or a hold's one resolution):
// - posting a work holds its budget on the buyer's wallet (wallet → revenue, pending);
// - an award voids that hold and holds the contract price instead (the rest is free again);
// - acceptance posts the hold for the price and pays the provider as for a run: its share
//   (price − fee) held revenue → earnings until it matures, the fee revenue → platform_fees;
// - a refund voids the hold; a dispute's resolution posts part of it and releases the rest,
//   with the admin and the reason on the transfers.
// Callers hold the work's row lock (lib/exchange/transition.ts), so one work's money moves one at a time.

/** The fee split of a contract's provider: null for the platform's own packages (no split: the whole price is revenue). */
export type ContractTerms = { providerId: string; earningsAccountId: string; feeBps: number } | null;

/** The provider's terms at an award (its fee now; the contract keeps it). */
export async function contractTerms(providerId: string): Promise<ContractTerms> {
  const provider = await db.provider.findUniqueOrThrow({ where: { id: providerId }, select: { slug: true } });
  if (provider.slug === PLATFORM_PROVIDER.slug) return null;
  const terms = await providerTerms(db, providerId);
  return { providerId, earningsAccountId: terms.earningsAccountId, feeBps: terms.feeBps };
}

/** The platform's fee on `charged` at `feeBps`, rounded half up (as for runs); the provider's share is the rest. */
export function splitCharge(charged: bigint, feeBps: number): { shareMicros: bigint; feeMicros: bigint } {
  const feeMicros = (charged * BigInt(feeBps) + 5_000n) / 10_000n;
  return { shareMicros: charged - feeMicros, feeMicros };
}

const escrowed = (workspaceId: string, amount: bigint) => (err: unknown): never => {
  if (err instanceof InsufficientFunds) {
    throw new ApiError("insufficient_credits", `This work holds ${formatUsd(Number(amount))} in escrow; the workspace has ${formatUsd(Number(err.availableMicros))} available. Add credits to post it.`, {
      neededMicros: Number(amount),
      availableMicros: Number(err.availableMicros),
      topUpUrl: "/billing",
    });
  }
  throw err;
};

/** Posting: holds the budget on the buyer's wallet and records it on the work; 402 when the wallet cannot cover it. */
export async function holdBudget(tx: DbTx, work: Pick<Work, "id" | "workspaceId" | "budgetMicros">): Promise<Transfer> {
  const wallet = await walletFor(tx, work.workspaceId);
  const held = await hold(tx, {
    debit: wallet, credit: SYSTEM_ACCOUNTS.revenue, amount: work.budgetMicros, reason: "work_escrow",
    idempotencyKey: `work:${work.id}:budget`, workspaceId: work.workspaceId, expiresAt: null,
  }).catch(escrowed(work.workspaceId, work.budgetMicros));
  await tx.work.update({ where: { id: work.id }, data: { holdId: held.id } });
  return held;
}

/** An award: the budget's hold released, the contract's price held instead (never more than the budget, so always covered). */
export async function shrinkToContract(tx: DbTx, work: Pick<Work, "id" | "workspaceId" | "holdId">, contract: Pick<Contract, "id" | "priceMicros" | "providerId">): Promise<Transfer> {
  if (!work.holdId) throw new Error(`work ${work.id} has no escrow hold`);
  const budget = await voidHold(tx, work.holdId);
  const held = await hold(tx, {
    debit: budget.debitAccountId, credit: SYSTEM_ACCOUNTS.revenue, amount: contract.priceMicros, reason: "work_escrow",
    idempotencyKey: `contract:${contract.id}:escrow`, workspaceId: work.workspaceId, providerId: contract.providerId, contractId: contract.id, expiresAt: null,
  });
  await tx.work.update({ where: { id: work.id }, data: { holdId: held.id } });
  return held;
}

/** A refund (cancel, failures, missed deadline, no award): the open hold released in full. */
export async function refundEscrow(tx: DbTx, work: Pick<Work, "id" | "holdId">): Promise<void> {
  if (!work.holdId) throw new Error(`work ${work.id} has no escrow hold`);
  await voidHold(tx, work.holdId);
}

export type Settlement = { chargedMicros: bigint; shareMicros: bigint; feeMicros: bigint; refundMicros: bigint };

/**
 * Acceptance, or a dispute's resolution: the hold posted for the contract's price
 * less `refundMicros` (the rest released), the provider's share of what was charged
 * held for it until it matures, the platform's fee posted. A full refund posts nothing.
 */
export async function settleContract(
  tx: DbTx,
  work: Pick<Work, "id" | "workspaceId" | "holdId">,
  contract: Pick<Contract, "id" | "priceMicros" | "providerId" | "feeBps">,
  terms: ContractTerms,
  o: { refundMicros?: bigint; at: Date; actorUserId?: string | null; memo?: string | null },
): Promise<Settlement> {
  if (!work.holdId) throw new Error(`work ${work.id} has no escrow hold`);
  const refundMicros = o.refundMicros ?? 0n;
  if (refundMicros < 0n || refundMicros > contract.priceMicros) throw new ApiError("validation_failed", `A refund must be between $0 and the contract's price, ${formatUsd(Number(contract.priceMicros))}.`);
  const chargedMicros = contract.priceMicros - refundMicros;
  // A person's resolution (an admin's, with the reason) is recorded on the escrow's resolution too.
  const resolvedBy = { actorUserId: o.actorUserId ?? null, memo: o.memo ?? null };
  if (chargedMicros === 0n) {
    await voidHold(tx, work.holdId, "VOID_PENDING", resolvedBy);
    return { chargedMicros, shareMicros: 0n, feeMicros: 0n, refundMicros };
  }
  await postHold(tx, work.holdId, chargedMicros, resolvedBy);
  if (!terms) return { chargedMicros, shareMicros: 0n, feeMicros: 0n, refundMicros };
  const { shareMicros, feeMicros } = splitCharge(chargedMicros, contract.feeBps);
  const by = { workspaceId: work.workspaceId, providerId: contract.providerId, contractId: contract.id, actorUserId: o.actorUserId ?? null, memo: o.memo ?? null };
  if (shareMicros > 0n) {
    await hold(tx, { ...by, debit: SYSTEM_ACCOUNTS.revenue, credit: terms.earningsAccountId, amount: shareMicros, reason: "provider_share", idempotencyKey: `contract:${contract.id}:share`, maturesAt: maturesAt(o.at), expiresAt: null });
  }
  if (feeMicros > 0n) {
    await transfer(tx, { ...by, debit: SYSTEM_ACCOUNTS.revenue, credit: SYSTEM_ACCOUNTS.platformFees, amount: feeMicros, reason: "platform_fee", idempotencyKey: `contract:${contract.id}:fee` });
  }
  return { chargedMicros, shareMicros, feeMicros, refundMicros };
}
