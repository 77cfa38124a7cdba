// GET /api/v1/provider/connect/refresh — Stripe's refresh_url (a used or expired onboarding link): 303 to a fresh link (workspace owner)
import { connectOnboardingUrl, seeOther } from "@/lib/payouts/connect-routes";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "provider.manage", status: 303, summary: "Stripe's refresh_url: a 303 redirect to a fresh onboarding link" }, async ({ req, principal }) => seeOther(await connectOnboardingUrl(req, principal)));
