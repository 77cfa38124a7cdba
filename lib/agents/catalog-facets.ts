import type { DbTx } from "@/lib/db/client";
import { fullTextFinds, filterConditions, planPerCall, prefixQuery, RANK_CANDIDATES, searchMatch, type CatalogFilters } from "./catalog-match";
import { Prisma } from "@/lib/generated/prisma/client";

export type FacetCount = { value: string; count: number };
export type CatalogFacets = {
  categories: FacetCount[];
  capabilities: FacetCount[];
  accepts: FacetCount[];
  /** A search matching more than RANK_CANDIDATES packages: the counts are among those candidates, so each is "at least". */
  bounded: boolean;
};

type Pair = [value: string, count: number];
/** The counts as one JSON value ([value, count] pairs): thousands of capability chips cost one parse, not a row each. */
export type FacetsJson = { bounded: boolean; categories: Pair[] | null; capabilities: Pair[] | null; accepts: Pair[] | null };

/**
 * For every category, capability and accepted kind of data of a listed package:
 * how many agents the catalog would list with that chip chosen, keeping the
 * search, the price range, the provider and the other groups' chips (category and
 * capability hold one chip, so choosing one replaces the group's current one;
 * accepted kinds add up: a package must accept every kind chosen). One query over
 * the search's matches: its full-text matches when it has any among the priced
 * packages (a chip none of them is in is left out), else its similar-word matches —
 * of a search, the RANK_CANDIDATES of them with the best trust and price, as the
 * ranking takes them (`bounded` says whether there were more).
 */
export async function catalogFacetCounts(q: CatalogFilters & { q?: string }, client: DbTx, found?: Promise<boolean>): Promise<CatalogFacets> {
  const match = searchMatch(q.q);
  const where = filterConditions(q);
  const exact = await (found ?? fullTextFinds(q.q, [where.price, where.provider], client));
  // A search's candidates in the staticScore index's order, one past the bound to tell whether there were more.
  const searching = !!prefixQuery(q.q);
  const [row] = await client.$queryRaw<{ facets: FacetsJson }[]>`${planPerCall}
    WITH found AS (
      SELECT c.slug, c."staticScore", c.category, c.capabilities, c.accepts,
             ${where.category} AS "inCategory", ${where.capability} AS "inCapability", ${where.accepts} AS "inAccepts"
      FROM ${exact ? Prisma.sql`"CatalogEntry" c` : match.similarEach.entries}
      WHERE ${exact ? match.fullText : match.similarEach.similar} AND ${where.price} AND ${where.provider}
      ${searching ? Prisma.sql`ORDER BY c."staticScore" DESC, c.slug DESC LIMIT ${RANK_CANDIDATES + 1}` : Prisma.empty}
    ), m AS (SELECT * FROM found ${searching ? Prisma.sql`ORDER BY "staticScore" DESC, slug DESC LIMIT ${RANK_CANDIDATES}` : Prisma.empty})
    SELECT ${facetsJsonSql(searching)} AS facets`;
  return facetsFromJson(row!.facets);
}

/**
 * The counts over relation `m` (a search's candidates or every entry, with category, capabilities, accepts and the
 * chip groups' conditions as "inCategory", "inCapability", "inAccepts"), and whether `found` — `m` and one more —
 * had more than RANK_CANDIDATES, as one JSON value (FacetsJson).
 */
export function facetsJsonSql(searching: boolean): Prisma.Sql {
  return Prisma.sql`json_build_object(
    'bounded', ${searching} AND (SELECT count(*) FROM found) > ${RANK_CANDIDATES},
    'categories', (SELECT json_agg(json_build_array(category, n)) FROM (
       SELECT category, count(*) FILTER (WHERE "inCapability" AND "inAccepts") AS n FROM m GROUP BY category) g),
    'capabilities', (SELECT json_agg(json_build_array(capability, n)) FROM (
       SELECT capability, count(*) FILTER (WHERE "inCategory" AND "inAccepts") AS n FROM m CROSS JOIN unnest(m.capabilities) AS capability GROUP BY capability) g),
    'accepts', (SELECT json_agg(json_build_array(kind, n)) FROM (
       SELECT kind, count(*) FILTER (WHERE "inCategory" AND "inCapability" AND "inAccepts") AS n FROM m CROSS JOIN unnest(m.accepts) AS kind GROUP BY kind) g))`;
}

export function facetsFromJson(json: FacetsJson): CatalogFacets {
  // Ordered here, by code unit: thousands of capability values sort faster in JS than under the database's collation.
  const counts = (pairs: Pair[] | null) =>
    (pairs ?? []).map(([value, count]) => ({ value, count })).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { categories: counts(json.categories), capabilities: counts(json.capabilities), accepts: counts(json.accepts), bounded: json.bounded };
}
