// GET /api/v1/provider/connect/return — Stripe's return_url: re-reads the account, then 303 to /provider (workspace owner)
import { connectReturn } from "@/lib/payouts/connect-routes";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "provider.manage", status: 303, summary: "Stripe's return_url: re-reads the account, then a 303 redirect to the provider page" }, async ({ req, principal }) => connectReturn(req, principal));
