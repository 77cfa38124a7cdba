// GET /api/v1/agents — the public catalog: ?q= full-text search, category,
// capability, minPrice/maxPrice (base fee, micro-USD), provider (a provider's slug), sort, cursor, limit
import { listAgents, listAgentsQuerySchema } from "@/lib/agents/catalog";
import { catalogPageSchema } from "@/lib/agents/response-schemas";
import { route } from "@/lib/http/route";

export const GET = route({ auth: "public", query: listAgentsQuerySchema, response: catalogPageSchema, summary: "The public catalog: search, filter, sort and page through published agents." }, async ({ query }) => listAgents(query));
