// POST /api/v1/provider/connect — { url }: Stripe Connect onboarding for the caller's provider (its Express account made once) (workspace owner)
import { connectOnboardingUrl } from "@/lib/payouts/connect-routes";
import { route } from "@/lib/http/route";
import { connectLinkSchema } from "@/lib/payouts/schemas";

export const POST = route({ permission: "provider.manage", response: connectLinkSchema, summary: "A Stripe Connect onboarding link for your provider" }, async ({ req, principal }) => ({ url: await connectOnboardingUrl(req, principal) }));
