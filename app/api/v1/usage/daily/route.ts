// GET /api/v1/usage/daily?from&to&groupBy=agent|model|key — runs, tokens and spend per day and group
import { route } from "@/lib/http/route";
import { usageDaily, usageDailyQuerySchema, usageDailyResponseSchema } from "@/lib/usage/usage-queries";

export const GET = route({ permission: "workspace.read", query: usageDailyQuerySchema, response: usageDailyResponseSchema, summary: "Runs, tokens and spend per day and agent, model or key." }, async ({ principal, query }) => usageDaily(principal.workspace.id, query, query.groupBy));
