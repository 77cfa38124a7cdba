// POST /api/v1/billing/portal — owners: → { url } of a Stripe Customer Portal session
import { createPortalSession } from "@/lib/billing/checkout";
import { appUrl } from "@/lib/http/app-url";
import { route } from "@/lib/http/route";
import { redirectUrlSchema } from "@/lib/billing/response-schemas";

export const POST = route({ permission: "members.manage", response: redirectUrlSchema, summary: "A Stripe Customer Portal URL (owners)." }, async ({ req, principal }) => createPortalSession(principal, appUrl(req)));
