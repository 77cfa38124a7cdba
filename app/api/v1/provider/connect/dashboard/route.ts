// POST /api/v1/provider/connect/dashboard — { url }: a one-time login link to the provider's Stripe Express dashboard (bank details) (workspace owner)
import { connectDashboardUrl } from "@/lib/payouts/connect-routes";
import { route } from "@/lib/http/route";
import { connectLinkSchema } from "@/lib/payouts/schemas";

export const POST = route({ permission: "provider.manage", response: connectLinkSchema, summary: "A one-time link to your Stripe Express dashboard (bank details)" }, async ({ principal }) => ({ url: await connectDashboardUrl(principal) }));
