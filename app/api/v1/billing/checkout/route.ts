// POST /api/v1/billing/checkout — owners: { kind: "top_up", amountMicros } or { kind: "subscription", tier } → { url } of Stripe Checkout
import { checkoutBodySchema, createCheckout } from "@/lib/billing/checkout";
import { appUrl } from "@/lib/http/app-url";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "members.manage", body: checkoutBodySchema }, async ({ req, principal, body, ip }) => createCheckout(principal, body, appUrl(req), ip));
