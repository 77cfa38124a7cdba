import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { listAgents, listAgentsQuerySchema } from "@/lib/agents/catalog";
import { validationError } from "@/lib/http/errors";
import { formatUsdExact } from "@/lib/money/format";

// The MCP tool `search_catalog`: the catalog's own search (lib/agents/catalog.ts), so
// a model can find the package tool to call by what it does.

export const SEARCH_CATALOG = "search_catalog";

export const searchCatalogArgsSchema = z.object({
  q: z.string().trim().min(1, "Say what to search for.").max(200).describe("What the package should do, in a few words."),
  limit: z.number().int().min(1).max(50).optional().describe("How many results (default 10, at most 50)."),
});

export const searchCatalogTool: Tool = {
  name: SEARCH_CATALOG,
  title: "Search the Agora catalog",
  description: "Searches Agora's catalog of agent packages by what they do. Each result's slug is the name of a tool on this server that runs the package.",
  inputSchema: z.toJSONSchema(searchCatalogArgsSchema, { io: "input" }) as Tool["inputSchema"],
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export async function searchCatalog(args: unknown) {
  const parsed = searchCatalogArgsSchema.safeParse(args ?? {});
  if (!parsed.success) throw validationError(parsed.error);
  const page = await listAgents(listAgentsQuerySchema.parse({ q: parsed.data.q, limit: parsed.data.limit ?? 10 }));
  return {
    results: page.data.map(({ slug, name, summary, version, baseFeeMicros, rating, rank }) => ({ slug, name, summary, version, baseFeeMicros, basePrice: formatUsdExact(baseFeeMicros), rating, rank: { score: rank.score, explanation: rank.explanation } })),
    /** True when nothing matched the words and these are packages with similar words (a typo). */
    similarWords: page.similarWords,
  };
}
