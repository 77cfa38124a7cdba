import type { DbTx } from "@/lib/db/client";
import { SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";

// The free starting credit of a personal workspace (SPEC §5: the Free tier's
// included $1). Not given at sign-up, where it would pay for throwaway accounts,
// but when the owner verifies their e-mail, on the workspace's first top-up, or
// at creation for accounts already verified (OAuth, seeded): whichever comes
// first, once — every path books it under the same idempotency key.

/** The Free tier's included credits: what a new account starts with once verified. */
export async function startingCreditMicros(tx: DbTx): Promise<bigint> {
  const free = await tx.tier.findUnique({ where: { code: "free" }, select: { includedCreditsMicros: true } });
  return free?.includedCreditsMicros ?? 0n;
}

/** The idempotency key of a workspace's starting credit: one per workspace, whichever path books it. */
export const startingCreditKey = (workspaceId: string) => `included:${workspaceId}:signup`;

/**
 * Grants the starting credit to a personal workspace unless it already had it;
 * returns whether this call granted it. `amountMicros` overrides the Free tier's
 * amount (the seeded demo workspace).
 */
export async function grantStartingCredit(tx: DbTx, workspaceId: string, amountMicros?: bigint): Promise<boolean> {
  const idempotencyKey = startingCreditKey(workspaceId);
  // Verification and a top-up webhook can race: the second waits here and then finds the grant.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`agora:starting-credit:${workspaceId}`}))`;
  if (await tx.transfer.findUnique({ where: { idempotencyKey }, select: { id: true } })) return false;
  const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { personal: true } });
  const amount = amountMicros ?? (await startingCreditMicros(tx));
  if (!workspace.personal || amount <= 0n) return false;
  const wallet = await walletFor(tx, workspaceId);
  await transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: wallet, amount, reason: "included_credits", workspaceId, idempotencyKey });
  return true;
}
