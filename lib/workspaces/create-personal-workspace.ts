import type { DbTx } from "@/lib/db/client";
import { SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";
import { workspaceSlug } from "./workspace-slug";

/**
 * Every new user gets a personal workspace on the Free tier, which they own,
 * with the tier's included credits granted once (SPEC §5: $1 on Free) — or, for
 * the seeded demo workspace, `startingCreditsMicros`.
 */
export async function createPersonalWorkspace(
  tx: DbTx,
  input: { userId: string; name: string; workspaceName?: string; slug?: string; tierCode?: string; startingCreditsMicros?: bigint },
) {
  const name = input.workspaceName ?? `${input.name.trim() || "My"}'s workspace`.slice(0, 80);
  const workspace = await tx.workspace.create({
    data: {
      name,
      slug: input.slug ?? workspaceSlug(name),
      personal: true,
      tierCode: input.tierCode ?? "free",
      memberships: { create: { userId: input.userId, role: "OWNER" } },
    },
    include: { tier: { select: { includedCreditsMicros: true } } },
  });
  const included = input.startingCreditsMicros ?? workspace.tier.includedCreditsMicros ?? 0n;
  if (included > 0n) {
    const wallet = await walletFor(tx, workspace.id);
    await transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: wallet, amount: included, reason: "included_credits", workspaceId: workspace.id, idempotencyKey: `included:${workspace.id}:signup` });
  }
  const { tier: _tier, ...created } = workspace;
  return created;
}
