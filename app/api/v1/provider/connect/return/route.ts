// GET /api/v1/provider/connect/return — Stripe's return_url: re-reads the account, then 303 to /provider (workspace owner)
import { connectReturn } from "@/lib/payouts/connect-routes";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "provider.manage" }, async ({ req, principal }) => connectReturn(req, principal));
