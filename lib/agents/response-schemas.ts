import { z } from "zod";
import { isoDate, isoDay, wholeNumber } from "@/lib/http/wire";
import { priceChangeSchema, trustViewSchema } from "@/lib/packages/schemas";

// What the catalog routes send, as it is on the wire (lib/http/route.ts `response`): catalog.ts
// agentCardJson, listAgents and getAgent, and packages/version-stats.ts versionStats.

const count = wholeNumber;

export const agentCardSchema = z
  .object({
    slug: z.string(),
    version: z.string(),
    name: z.string(),
    summary: z.string(),
    category: z.string(),
    capabilities: z.array(z.string()),
    accepts: z.array(z.string()).describe("Kinds of data its input takes; empty = not derived yet."),
    model: z.string(),
    baseFeeMicros: count,
    runs: count,
    successRate: z.number().nullable(),
    rating: z.number().nullable(),
    ratingCount: count,
    createdAt: isoDate,
    provider: z.object({ slug: z.string(), name: z.string(), verified: z.boolean() }).nullable(),
  })
  .meta({ id: "AgentCard" });

/** Why a result ranks where it does (lib/agents/catalog-rank.ts RankJson). */
export const catalogRankSchema = z.object({ score: z.number(), text: z.number(), trust: z.number(), price: z.number(), explanation: z.string() });

/** A catalog result: the card and its rank. */
export const catalogResultSchema = agentCardSchema.extend({ rank: catalogRankSchema });

const facetCounts = z.array(z.object({ value: z.string(), count }));

export const catalogPageSchema = z.object({
  data: z.array(catalogResultSchema),
  nextCursor: z.string().nullable(),
  sort: z.string(),
  similarWords: z.boolean().describe("True when full text found nothing and these are packages with words like the search's."),
  facets: z.object({ categories: facetCounts, capabilities: facetCounts, accepts: facetCounts, bounded: z.boolean() }).optional().describe("First page only."),
});

export const agentDetailSchema = agentCardSchema
  .extend({
    description: z.string(),
    maxOutputTokens: count,
    inputSchema: z.unknown().describe("The JSON Schema of its input."),
    outputSchema: z.unknown().describe("The JSON Schema of its output."),
    exampleInput: z.unknown(),
    versions: z.array(z.object({ version: z.string(), createdAt: isoDate })),
    pendingPriceChange: priceChangeSchema.nullable(),
    trust: trustViewSchema,
  })
  .meta({ id: "Agent" });

export const versionStatsSchema = z.object({
  slug: z.string(),
  windowDays: count,
  since: isoDay.describe("The first day (UTC) of the window."),
  versions: z.array(
    z.object({
      version: z.string(),
      status: z.enum(["PUBLISHED", "YANKED"]),
      publishedAt: isoDate,
      yank: z.object({ yankedAt: isoDate.nullable(), reason: z.string().nullable() }).nullable(),
      stats: z.object({
        runs: count,
        succeeded: count,
        successRate: z.number().nullable(),
        failures: z.object({ provider: count, consumerInput: count, platform: count }),
        canceled: count,
        p50DurationMs: z.number().nullable(),
        p95DurationMs: z.number().nullable(),
        p50PriceMicros: z.number().nullable(),
        p95PriceMicros: z.number().nullable(),
      }),
    }),
  ),
});

/** GET /api/v1/recommendations (agents/recommendations.ts): each with its reason. */
export const recommendationsSchema = z.object({
  data: z.array(z.object({ kind: z.enum(["similar-workspaces", "popular", "new-and-rising"]), reason: z.string(), agent: agentCardSchema })),
});
