// GET /api/v1/billing — plan, payment status, balance, auto top-up, plans, invoices (from Stripe)
// PATCH /api/v1/billing — owners: { autoTopUp: { thresholdMicros, amountMicros } | null, paymentMode? }
import { billingSettingsBodySchema, getBilling, updateBillingSettings } from "@/lib/billing/billing-overview";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => getBilling(principal));

export const PATCH = route({ permission: "members.manage", body: billingSettingsBodySchema }, async ({ principal, body, ip }) => updateBillingSettings(principal, body, ip));
