// GET /api/v1/me — the caller: a user or an API key, its workspace and tier, and the workspace's credit balance
import { describePrincipal, meResponseSchema } from "@/lib/auth/describe-principal";
import { db } from "@/lib/db/client";
import { microsJson } from "@/lib/money/format";
import { route } from "@/lib/http/route";
import { workspaceBalance } from "@/lib/ledger/ledger";

export const GET = route({ permission: "workspace.read", response: meResponseSchema, summary: "The caller (a user or an API key), its workspace and tier, and the credit balance." }, async ({ principal }) => {
  const b = await workspaceBalance(db, principal.workspace.id);
  return { ...(await describePrincipal(principal)), balance: { availableMicros: microsJson(b.availableMicros), postedMicros: microsJson(b.postedMicros), heldMicros: microsJson(b.pendingDebitsMicros) } };
});
