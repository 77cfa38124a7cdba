import type { DbTx } from "@/lib/db/client";
import { workspaceSlug } from "./workspace-slug";

/**
 * Every new user gets a personal workspace on the Free tier, which they own.
 * Its starting credit comes later, once (grantStartingCredit).
 */
export async function createPersonalWorkspace(tx: DbTx, input: { userId: string; name: string; workspaceName?: string; slug?: string; tierCode?: string }) {
  const name = input.workspaceName ?? `${input.name.trim() || "My"}'s workspace`.slice(0, 80);
  return tx.workspace.create({
    data: {
      name,
      slug: input.slug ?? workspaceSlug(name),
      personal: true,
      tierCode: input.tierCode ?? "free",
      memberships: { create: { userId: input.userId, role: "OWNER" } },
    },
  });
}
