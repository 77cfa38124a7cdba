// GET /api/v1/provider/earnings — the caller's provider: balances (pending, matured, in a payout, paid), 12 weeks by state, Connect status (workspace owner)
import { providerEarnings } from "@/lib/payouts/dashboard";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "provider.manage" }, async ({ principal }) => providerEarnings(principal.workspace.id));
