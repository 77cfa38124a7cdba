// GET /api/v1/provider/runs — runs of the provider's packages, newest first: status, duration, price, failure cause (never the consumer's input or output)
import { route } from "@/lib/http/route";
import { listProviderRuns } from "@/lib/packages/provider-runs";
import { providerRunPageSchema, providerRunsQuerySchema } from "@/lib/packages/schemas";

export const GET = route({ permission: "provider.manage", query: providerRunsQuerySchema, response: providerRunPageSchema, summary: "Runs of your provider's packages, newest first (never the consumer's input or output)" }, async ({ principal, query }) => listProviderRuns(principal.workspace.id, query));
