// GET /api/v1/billing — plan, payment status, balance, auto top-up, plans, invoices (from Stripe)
// PATCH /api/v1/billing — owners: { autoTopUp: { thresholdMicros, amountMicros } | null, paymentMode? }
import { billingSettingsBodySchema, getBilling, updateBillingSettings } from "@/lib/billing/billing-overview";
import { route } from "@/lib/http/route";
import { billingSchema } from "@/lib/billing/response-schemas";

export const GET = route({ permission: "workspace.read", response: billingSchema, summary: "Plan, payment status, balance, auto top-up, plans and invoices." }, async ({ principal }) => getBilling(principal));

export const PATCH = route({ permission: "members.manage", body: billingSettingsBodySchema, response: billingSchema, summary: "Set auto top-up and the payment mode (owners); answers like GET." }, async ({ principal, body, ip }) => updateBillingSettings(principal, body, ip));
