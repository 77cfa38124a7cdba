// GET /api/v1/provider/payouts?cursor=&limit= — the caller's provider's payouts, newest first, with the runs each paid (workspace owner)
import { payoutsQuerySchema, providerPayouts } from "@/lib/payouts/dashboard";
import { route } from "@/lib/http/route";
import { providerPayoutPageSchema } from "@/lib/payouts/schemas";

export const GET = route({ permission: "provider.manage", query: payoutsQuerySchema, response: providerPayoutPageSchema, summary: "Your provider's payouts, newest first, with the runs each paid" }, async ({ principal, query }) => providerPayouts(principal.workspace.id, query));
