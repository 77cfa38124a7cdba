import { PLAN_PER_CALL, type DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

// What the catalog's list and its filter counts share: they read CatalogEntry
// (`c`), one narrow row per listed slug — its newest published version's
// searchable, filterable and sortable columns, kept by a trigger in the
// transaction that changes the version (yanked, suspended and unreviewed
// versions are never listed) — and how a search text matches an entry.

/** Every catalog search statement starts with this: planned for its own words (lib/db/client.ts PLAN_PER_CALL). */
export const planPerCall = Prisma.raw(PLAN_PER_CALL);

/**
 * pg_trgm word similarity from which a package counts as a match for a misspelt
 * search: "incdent" shares 6 of its 8 trigrams with "incident" (0.75).
 */
export const SIMILAR_WORDS = 0.5;

/** The search's words, lowercased: only letters and digits, at most 8. */
export function searchWords(q: string | undefined): string[] {
  return ((q ?? "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

/** "secr scan" → `secr:* & scan:*`: every word, as a prefix. Only letters and digits reach to_tsquery. */
export function prefixQuery(q: string | undefined): string {
  return searchWords(q).map((w) => `${w}:*`).join(" & ");
}

/** How many first letters of a misspelt word must be right: the similar-word fallback only compares packages with a word starting so. */
export const SIMILAR_PREFIX = 3;

/**
 * "incdent reprt" → `inc:*AB | rep:*AB`: each word's first letters, as a prefix, any of them, in the fields the
 * similarity is measured on (weights A and B: name, capabilities, category, summary — not the description), so
 * a package with such a word only in its description is dropped before its similarity is computed.
 */
function similarPrefixes(q: string | undefined): string {
  return searchWords(q).map((w) => `${w.slice(0, SIMILAR_PREFIX)}:*AB`).join(" | ");
}

/**
 * A search is ranked among at most this many of its matches: when more match (a word most packages have says
 * little about the task), the ones with the best trust and price — read in the staticScore index's order, so the
 * cost stays bounded. Relevance pages end there; the other sorts go through every match. A search's chip counts count
 * the same candidates (lib/agents/catalog-facets.ts), flagged `bounded` when there were more.
 */
export const RANK_CANDIDATES = 500;

export type SearchMatch = {
  fullText: Prisma.Sql;
  rank: Prisma.Sql;
  similar: Prisma.Sql;
  similarRank: Prisma.Sql;
  /** Similar words' test and rank for reading every match (the candidates), over `entries`: see searchMatch. */
  similarEach: { entries: Prisma.Sql; similar: Prisma.Sql; similarRank: Prisma.Sql };
};

/**
 * A search's two ways of matching: full text (prefix words, ranked), and trigram
 * similarity to the name, summary and capabilities, which the catalog falls back
 * to when full text finds nothing (a typo). Without words, everything matches
 * in full text. Reading every similar-word match, `similarEach` computes each
 * entry's similarity once for the test and the rank (`s.similarity`, a lateral
 * subquery PostgreSQL does not inline; measuring the longer text is most of a typo's
 * cost). An index's order read up to a page uses `similar`: the planner estimates
 * the test there, and decides between that order and the GIN index by it.
 */
export function searchMatch(q: string | undefined): SearchMatch {
  const tsquery = prefixQuery(q);
  if (!tsquery) {
    const none = { similar: Prisma.sql`FALSE`, similarRank: Prisma.sql`0::numeric` };
    return { fullText: Prisma.sql`TRUE`, rank: Prisma.sql`0::numeric`, ...none, similarEach: { entries: Prisma.sql`"CatalogEntry" c`, ...none } };
  }
  const words = (q ?? "").match(/[\p{L}\p{N}]+/gu)!.join(" ");
  const similarity = Prisma.sql`word_similarity(${words}, c.name || ' ' || c.summary || ' ' || array_to_string(c.capabilities, ' '))`;
  // Like full text's weights, a name or capability like the search counts twice as much as a summary like it.
  const inName = Prisma.sql`word_similarity(${words}, c.name || ' ' || array_to_string(c.capabilities, ' '))`;
  // Only packages with a word that starts like one of the search's (the GIN index finds them) are compared: a typo after the first letters.
  const startsLike = Prisma.sql`c."searchVector" @@ to_tsquery('simple', ${similarPrefixes(q)})`;
  return {
    fullText: Prisma.sql`c."searchVector" @@ to_tsquery('english', ${tsquery})`,
    rank: Prisma.sql`round(ts_rank_cd(c."searchVector", to_tsquery('english', ${tsquery}))::numeric, 6)`,
    similar: Prisma.sql`${startsLike} AND ${similarity} >= ${SIMILAR_WORDS}`,
    similarRank: Prisma.sql`(2 * ${inName} + ${similarity}) / 3`,
    similarEach: {
      entries: Prisma.sql`"CatalogEntry" c CROSS JOIN LATERAL (SELECT ${similarity} AS similarity OFFSET 0) s`,
      similar: Prisma.sql`${startsLike} AND s.similarity >= ${SIMILAR_WORDS}`,
      similarRank: Prisma.sql`(2 * ${inName} + s.similarity) / 3`,
    },
  };
}

export type CatalogFilters = { category?: string; capability?: string; minPrice?: number; maxPrice?: number; provider?: string; accepts?: string[] };

/** The filters of a catalog query as conditions on the entry `c`: each chip group's, the price range's and the provider's. */
export function filterConditions(q: CatalogFilters) {
  const price = [Prisma.sql`TRUE`];
  if (q.minPrice !== undefined) price.push(Prisma.sql`c."baseFeeMicros" >= ${BigInt(q.minPrice)}`);
  if (q.maxPrice !== undefined) price.push(Prisma.sql`c."baseFeeMicros" <= ${BigInt(q.maxPrice)}`);
  return {
    category: q.category ? Prisma.sql`c.category = ${q.category}` : Prisma.sql`TRUE`,
    capability: q.capability ? Prisma.sql`${q.capability} = ANY(c.capabilities)` : Prisma.sql`TRUE`,
    // Every kind chosen; an empty (not yet derived) array matches none.
    accepts: q.accepts?.length ? Prisma.sql`c.accepts @> ${q.accepts}::text[]` : Prisma.sql`TRUE`,
    price: Prisma.join(price, " AND "),
    provider: q.provider ? Prisma.sql`c."providerId" = (SELECT id FROM "Provider" WHERE slug = ${q.provider})` : Prisma.sql`TRUE`,
  };
}

/**
 * Whether the search matches some listed package in full text under these
 * conditions (the GIN index answers it); when not, the catalog lists similar
 * words instead. Without words, full text matches everything.
 */
export async function fullTextFinds(q: string | undefined, conditions: Prisma.Sql[], client: DbTx): Promise<boolean> {
  if (!prefixQuery(q)) return true;
  // MATERIALIZED, so the matches are planned as a whole — through the GIN index when few are expected — and then
  // read lazily up to the first. A plain EXISTS is planned for one row: a scan of the table that, for a search
  // matching nothing (a typo), reads every entry.
  const [row] = await client.$queryRaw<{ found: boolean }[]>`${planPerCall}
    WITH m AS MATERIALIZED (SELECT 1 FROM "CatalogEntry" c WHERE ${searchMatch(q).fullText} AND ${Prisma.join(conditions, " AND ")})
    SELECT EXISTS (SELECT 1 FROM m) AS found`;
  return row!.found;
}
