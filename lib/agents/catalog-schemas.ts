import { z } from "zod";

// The catalog's cards (lib/agents/catalog.ts agentCardJson) as a zod schema of the wire:
// what the routes that list packages declare as their success body.

/** agentCardJson: a published package as the catalog shows it. */
export const agentCardSchema = z.object({
  slug: z.string(),
  version: z.string(),
  name: z.string(),
  summary: z.string(),
  category: z.string(),
  capabilities: z.array(z.string()),
  accepts: z.array(z.string()),
  model: z.string(),
  baseFeeMicros: z.number().int(),
  runs: z.number().int(),
  successRate: z.number().nullable(),
  rating: z.number().nullable(),
  ratingCount: z.number().int(),
  createdAt: z.iso.datetime(),
  provider: z.object({ slug: z.string(), name: z.string(), verified: z.boolean() }).nullable(),
});

/** Why a result ranks where it does (lib/agents/catalog-rank.ts RankJson). */
export const catalogRankSchema = z.object({ score: z.number(), text: z.number(), trust: z.number(), price: z.number(), explanation: z.string() });

/** A catalog result: the card and its rank. */
export const catalogResultSchema = agentCardSchema.extend({ rank: catalogRankSchema });
