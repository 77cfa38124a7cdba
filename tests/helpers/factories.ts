import { randomUUID } from "node:crypto";
import { signUp } from "@/lib/accounts/sign-up";
import { principalFromUser, type Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { balanceOf, SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";

export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@test.agora.dev`;

/**
 * A real user with a personal workspace, created through the sign-up path (on
 * the Free tier). Tests exercising something other than limits put it on a
 * roomier tier (`{ tier: "enterprise" }`), as a paying customer would be.
 */
export async function createUser(label = "user", opts: { tier?: "free" | "basic" | "pro" | "enterprise" } = {}) {
  const email = uniqueEmail(label);
  const password = "correct horse battery";
  const { user, workspace } = await signUp({ email, password, name: label });
  if (opts.tier) await getDb().workspace.update({ where: { id: workspace.id }, data: { tierCode: opts.tier } });
  const principal = (await principalFromUser(user.id)) as Extract<Principal, { kind: "user" }>;
  return { user, workspace, principal, email, password };
}

/** Sets a workspace's wallet to exactly `micros` available (through the ledger: a correction, then a grant). */
export async function setWallet(workspaceId: string, micros: bigint): Promise<string> {
  const db = getDb();
  return db.$transaction(async (tx) => {
    const wallet = await walletFor(tx, workspaceId);
    const { availableMicros } = await balanceOf(tx, wallet);
    if (availableMicros > 0n) await transfer(tx, { debit: wallet, credit: SYSTEM_ACCOUNTS.promotions, amount: availableMicros, reason: "correction", idempotencyKey: randomUUID(), workspaceId });
    if (micros > 0n) await transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: wallet, amount: micros, reason: "admin_grant", idempotencyKey: randomUUID(), workspaceId });
    return wallet;
  });
}

/**
 * Makes a user a member of a workspace directly, for tests about what members may
 * do (people join through invitations in the product), and returns them acting in it.
 */
export async function joinWorkspace(userId: string, workspaceId: string, role: "OWNER" | "MEMBER" = "MEMBER") {
  await getDb().membership.create({ data: { userId, workspaceId, role } });
  return (await principalFromUser(userId, workspaceId)) as Extract<Principal, { kind: "user" }>;
}
