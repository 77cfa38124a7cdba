// POST /api/v1/billing/portal — owners: → { url } of a Stripe Customer Portal session
import { createPortalSession } from "@/lib/billing/checkout";
import { appUrl } from "@/lib/http/app-url";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "members.manage" }, async ({ req, principal }) => createPortalSession(principal, appUrl(req)));
