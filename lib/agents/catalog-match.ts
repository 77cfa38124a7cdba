import { Prisma } from "@/lib/generated/prisma/client";
import { semverDesc } from "@/lib/packages/semver";

// What the catalog's list and its filter counts share: the newest published
// version of each slug (by semver: 1.10.0 after 1.9.0; yanked, suspended and
// unreviewed versions are not published), and how a search text matches a package (`l` is the
// package row in both queries).

export const latestPublished = Prisma.sql`SELECT DISTINCT ON (slug) * FROM "AgentPackage" WHERE status = 'PUBLISHED' ORDER BY slug, ${semverDesc}`;

/**
 * pg_trgm word similarity from which a package counts as a match for a misspelt
 * search: "incdent" shares 6 of its 8 trigrams with "incident" (0.75).
 */
export const SIMILAR_WORDS = 0.5;

/** "secr scan" → `secr:* & scan:*`: every word, as a prefix. Only letters and digits reach to_tsquery. */
export function prefixQuery(q: string | undefined): string {
  const words = (q ?? "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.slice(0, 8).map((w) => `${w}:*`).join(" & ");
}

/**
 * A search's two ways of matching: full text (prefix words, ranked), and trigram
 * similarity to the name, summary and capabilities, which the catalog falls back
 * to when full text finds nothing (a typo). Without words, everything matches
 * in full text.
 */
export function searchMatch(q: string | undefined): { fullText: Prisma.Sql; rank: Prisma.Sql; similar: Prisma.Sql; similarity: Prisma.Sql } {
  const tsquery = prefixQuery(q);
  if (!tsquery) return { fullText: Prisma.sql`TRUE`, rank: Prisma.sql`0::numeric`, similar: Prisma.sql`FALSE`, similarity: Prisma.sql`0::numeric` };
  const words = (q ?? "").match(/[\p{L}\p{N}]+/gu)!.join(" ");
  const similarity = Prisma.sql`round(word_similarity(${words}, l.name || ' ' || l.summary || ' ' || array_to_string(l.capabilities, ' '))::numeric, 6)`;
  return {
    fullText: Prisma.sql`l."searchVector" @@ to_tsquery('english', ${tsquery})`,
    rank: Prisma.sql`round(ts_rank_cd(l."searchVector", to_tsquery('english', ${tsquery}))::numeric, 6)`,
    similar: Prisma.sql`${similarity} >= ${SIMILAR_WORDS}`,
    similarity,
  };
}

/** The filters of a catalog query as conditions on `l`: each chip group's, the price range's and the provider's. */
export function filterConditions(q: { category?: string; capability?: string; minPrice?: number; maxPrice?: number; provider?: string }) {
  const price = [Prisma.sql`TRUE`];
  if (q.minPrice !== undefined) price.push(Prisma.sql`l."baseFeeMicros" >= ${BigInt(q.minPrice)}`);
  if (q.maxPrice !== undefined) price.push(Prisma.sql`l."baseFeeMicros" <= ${BigInt(q.maxPrice)}`);
  return {
    category: q.category ? Prisma.sql`l.category = ${q.category}` : Prisma.sql`TRUE`,
    capability: q.capability ? Prisma.sql`${q.capability} = ANY(l.capabilities)` : Prisma.sql`TRUE`,
    price: Prisma.join(price, " AND "),
    provider: q.provider ? Prisma.sql`l."providerId" = (SELECT id FROM "Provider" WHERE slug = ${q.provider})` : Prisma.sql`TRUE`,
  };
}
