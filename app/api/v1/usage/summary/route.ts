// GET /api/v1/usage/summary?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the last 30 days) — totals, top agents,
// spend per API key, and the balance with its burn rate and days left
import { route } from "@/lib/http/route";
import { usageRangeQuerySchema, usageSummary, usageSummaryResponseSchema } from "@/lib/usage/usage-queries";

export const GET = route({ permission: "workspace.read", query: usageRangeQuerySchema, response: usageSummaryResponseSchema, summary: "Totals, top agents, spend per key and the balance with its burn rate, for a range of days." }, async ({ principal, query }) => usageSummary(principal.workspace.id, query));
