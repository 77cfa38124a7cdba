import type { DbTx } from "@/lib/db/client";
import { fullTextFinds, filterConditions, searchMatch, type CatalogFilters } from "./catalog-match";

export type FacetCount = { value: string; count: number };
export type CatalogFacets = { categories: FacetCount[]; capabilities: FacetCount[]; accepts: FacetCount[] };

type FacetRow = { facet: "category" | "capability" | "accepts"; value: string; count: number };

/**
 * For every category, capability and accepted kind of data of a listed package:
 * how many agents the catalog would list with that chip chosen, keeping the
 * search, the price range, the provider and the other groups' chips (category and
 * capability hold one chip, so choosing one replaces the group's current one;
 * accepted kinds add up: a package must accept every kind chosen). One query over
 * the search's matches: its full-text matches when it has any among the priced
 * packages (a chip none of them is in is left out), else its similar-word matches.
 */
export async function catalogFacetCounts(q: CatalogFilters & { q?: string }, client: DbTx, found?: Promise<boolean>): Promise<CatalogFacets> {
  const match = searchMatch(q.q);
  const where = filterConditions(q);
  const exact = await (found ?? fullTextFinds(q.q, [where.price, where.provider], client));
  const rows = await client.$queryRaw<FacetRow[]>`
    WITH m AS (
      SELECT c.category, c.capabilities, c.accepts,
             ${where.category} AS "inCategory", ${where.capability} AS "inCapability", ${where.accepts} AS "inAccepts"
      FROM "CatalogEntry" c
      WHERE ${exact ? match.fullText : match.similar} AND ${where.price} AND ${where.provider}
    )
    SELECT 'category' AS facet, category AS value, (count(*) FILTER (WHERE "inCapability" AND "inAccepts"))::int AS count
    FROM m GROUP BY category
    UNION ALL
    SELECT 'capability', capability, (count(*) FILTER (WHERE "inCategory" AND "inAccepts"))::int
    FROM m CROSS JOIN unnest(m.capabilities) AS capability GROUP BY capability
    UNION ALL
    SELECT 'accepts', kind, (count(*) FILTER (WHERE "inCategory" AND "inCapability" AND "inAccepts"))::int
    FROM m CROSS JOIN unnest(m.accepts) AS kind GROUP BY kind
    ORDER BY facet, value`;
  const counts = (facet: FacetRow["facet"]) => rows.filter((r) => r.facet === facet).map((r) => ({ value: r.value, count: r.count }));
  return { categories: counts("category"), capabilities: counts("capability"), accepts: counts("accepts") };
}
