// POST /api/v1/billing/checkout — owners: { kind: "top_up", amountMicros } or { kind: "subscription", tier } → { url } of Stripe Checkout
import { checkoutBodySchema, createCheckout } from "@/lib/billing/checkout";
import { appUrl } from "@/lib/http/app-url";
import { route } from "@/lib/http/route";
import { redirectUrlSchema } from "@/lib/billing/response-schemas";

export const POST = route({ permission: "members.manage", body: checkoutBodySchema, response: redirectUrlSchema, summary: "A Stripe Checkout URL for a top-up or a plan (owners)." }, async ({ req, principal, body, ip }) => createCheckout(principal, body, appUrl(req), ip));
