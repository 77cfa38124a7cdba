import type { DbTx } from "@/lib/db/client";
import { fullTextFinds, filterConditions, prefixQuery, RANK_CANDIDATES, searchMatch, type CatalogFilters } from "./catalog-match";
import { Prisma } from "@/lib/generated/prisma/client";

export type FacetCount = { value: string; count: number };
export type CatalogFacets = {
  categories: FacetCount[];
  capabilities: FacetCount[];
  accepts: FacetCount[];
  /** A search matching more than RANK_CANDIDATES packages: the counts are among those candidates, so each is "at least". */
  bounded: boolean;
};

type FacetRow = { facet: "category" | "capability" | "accepts" | "bounded"; value: string; count: number };

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
  const order = Prisma.sql`ORDER BY "staticScore" DESC, slug DESC`;
  const rows = await client.$queryRaw<FacetRow[]>`
    WITH found AS (
      SELECT c.slug, c."staticScore", c.category, c.capabilities, c.accepts,
             ${where.category} AS "inCategory", ${where.capability} AS "inCapability", ${where.accepts} AS "inAccepts"
      FROM "CatalogEntry" c
      WHERE ${exact ? match.fullText : match.similar} AND ${where.price} AND ${where.provider}
      ${searching ? Prisma.sql`${order} LIMIT ${RANK_CANDIDATES + 1}` : Prisma.empty}
    ), m AS (SELECT * FROM found ${searching ? Prisma.sql`${order} LIMIT ${RANK_CANDIDATES}` : Prisma.empty})
    SELECT 'bounded' AS facet, '' AS value, (${searching} AND count(*) > ${RANK_CANDIDATES})::int AS count FROM found
    UNION ALL
    SELECT 'category' AS facet, category AS value, (count(*) FILTER (WHERE "inCapability" AND "inAccepts"))::int AS count
    FROM m GROUP BY category
    UNION ALL
    SELECT 'capability', capability, (count(*) FILTER (WHERE "inCategory" AND "inAccepts"))::int
    FROM m CROSS JOIN unnest(m.capabilities) AS capability GROUP BY capability
    UNION ALL
    SELECT 'accepts', kind, (count(*) FILTER (WHERE "inCategory" AND "inCapability" AND "inAccepts"))::int
    FROM m CROSS JOIN unnest(m.accepts) AS kind GROUP BY kind`;
  // Ordered here, by code unit: thousands of capability values sort faster in JS than under the database's collation.
  const counts = (facet: FacetRow["facet"]) =>
    rows
      .filter((r) => r.facet === facet)
      .map((r) => ({ value: r.value, count: r.count }))
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { categories: counts("category"), capabilities: counts("capability"), accepts: counts("accepts"), bounded: rows.some((r) => r.facet === "bounded" && r.count > 0) };
}
