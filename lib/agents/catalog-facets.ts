import type { DbTx } from "@/lib/db/client";
import { filterConditions, latestPublished, searchMatch } from "./catalog-match";

export type FacetCount = { value: string; count: number };
export type CatalogFacets = { categories: FacetCount[]; capabilities: FacetCount[] };

type FacetRow = { facet: "category" | "capability"; value: string; exact: number; similar: number };

/**
 * For every category and capability of a published package: how many agents the
 * catalog would list with that chip chosen, keeping the search, the price range,
 * the provider and the other group's chip (a group holds one chip, so choosing one replaces
 * the group's current one). One query; each count follows the list's own rule:
 * full-text matches, or the similar-word matches when there are none.
 */
export async function catalogFacetCounts(
  q: { q?: string; category?: string; capability?: string; minPrice?: number; maxPrice?: number; provider?: string },
  client: DbTx,
): Promise<CatalogFacets> {
  const match = searchMatch(q.q);
  const where = filterConditions(q);
  const rows = await client.$queryRaw<FacetRow[]>`
    WITH m AS (
      SELECT l.category, l.capabilities, ${match.fullText} AS "fullText", ${match.similar} AS "similar",
             ${where.category} AS "inCategory", ${where.capability} AS "inCapability"
      FROM (${latestPublished}) l
      WHERE ${where.price} AND ${where.provider}
    )
    SELECT 'category' AS facet, category AS value,
           (count(*) FILTER (WHERE "inCapability" AND "fullText"))::int AS exact, (count(*) FILTER (WHERE "inCapability" AND "similar"))::int AS "similar"
    FROM m GROUP BY category
    UNION ALL
    SELECT 'capability', capability,
           (count(*) FILTER (WHERE "inCategory" AND "fullText"))::int, (count(*) FILTER (WHERE "inCategory" AND "similar"))::int
    FROM m CROSS JOIN unnest(m.capabilities) AS capability GROUP BY capability
    ORDER BY facet, value`;
  const counts = (facet: FacetRow["facet"]) => rows.filter((r) => r.facet === facet).map((r) => ({ value: r.value, count: r.exact || r.similar }));
  return { categories: counts("category"), capabilities: counts("capability") };
}
