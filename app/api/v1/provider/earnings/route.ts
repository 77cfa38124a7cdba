// GET /api/v1/provider/earnings — the caller's provider: balances (pending, matured, in a payout, paid), 12 weeks by state, Connect status (workspace owner)
import { providerEarnings } from "@/lib/payouts/dashboard";
import { route } from "@/lib/http/route";
import { providerEarningsSchema } from "@/lib/payouts/schemas";

export const GET = route({ permission: "provider.manage", response: providerEarningsSchema, summary: "Your provider's balances, 12 weeks of earnings by state, and Connect status" }, async ({ principal }) => providerEarnings(principal.workspace.id));
