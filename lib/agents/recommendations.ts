import { db, type DbTx } from "@/lib/db/client";
import { agentCardJson, cardColumns, cardProviderColumns, type AgentCard, type CardRow } from "./catalog";

// Recommendations for a signed-in workspace (issue 20 item 6), plain SQL over
// WorkspacePackageUse (what each workspace ran of each package over the last
// USAGE_DAYS, summed from the usage rollup by the packages.stats job) and the
// catalog's entries (CatalogEntry, with PackageStats' popularity copied in):
// - "Used by workspaces like yours": the workspaces that ran the most of the same
//   packages (at most NEIGHBOURS, similarity = Jaccard over their sets of
//   packages), then what they ran that this workspace has not, each scored
//   Σ similarity × ln(1 + their runs of it);
// - "Popular": without such neighbours, the most run packages (by distinct
//   workspaces over 90 days) of the categories it uses, then overall;
// - "New and rising": a fixed slot for the package first published in the last
//   RISING_DAYS with the highest risingScore, so newcomers are not buried.
// Never the workspace's own packages, nor ones it already runs; only listed
// packages. Every step reads a few index entries per package or neighbour: the
// cost follows the workspace's history and the neighbour limit, not the size of
// the catalog or of the rollup.

export const USAGE_DAYS = 90;
/** Most similar workspaces looked at. */
export const NEIGHBOURS = 50;
/** How many of the workspace's packages (its most run) its neighbours are found by. */
export const OWN_PACKAGES = 20;
/** "New": first published this many days ago at most. */
export const RISING_DAYS = 60;

export type RecommendationKind = "similar-workspaces" | "popular" | "new-and-rising";
export type Recommendation = { kind: RecommendationKind; reason: string; agent: AgentCard };

type RecRow = CardRow & { kind: RecommendationKind; score: number; workspaces: number; via: string | null };

/**
 * Up to `limit` recommendations: co-usage (or popular) ones, with the new-and-rising
 * slot always second when a new package exists that this workspace does not run.
 */
export async function recommendations(workspaceId: string, limit = 6, client: DbTx = db): Promise<Recommendation[]> {
  const newSince = new Date(Date.now() - RISING_DAYS * 86_400_000);
  const rows = await client.$queryRaw<RecRow[]>`
    WITH mine AS MATERIALIZED (
      SELECT u.slug, u.runs, e.category FROM "WorkspacePackageUse" u LEFT JOIN "CatalogEntry" e ON e.slug = u.slug WHERE u."workspaceId" = ${workspaceId}
    ), excluded AS MATERIALIZED (
      SELECT slug FROM mine
      UNION SELECT e.slug FROM "CatalogEntry" e WHERE e."ownerWorkspaceId" = ${workspaceId}
      UNION SELECT e.slug FROM "CatalogEntry" e JOIN "Provider" op ON op.id = e."providerId" WHERE op."workspaceId" = ${workspaceId}
    ), neighbours AS MATERIALIZED (
      SELECT u."workspaceId", count(*) AS shared
      FROM "WorkspacePackageUse" u
      WHERE u.slug IN (SELECT slug FROM mine ORDER BY runs DESC, slug LIMIT ${OWN_PACKAGES}) AND u."workspaceId" <> ${workspaceId}
      GROUP BY u."workspaceId" ORDER BY shared DESC, u."workspaceId" LIMIT ${NEIGHBOURS}
    ), theirs AS MATERIALIZED (
      -- A lookup per neighbour (the primary key's prefix); OFFSET 0 keeps it one, rather than a scan of the table.
      SELECT n."workspaceId", u.slug, u.runs FROM neighbours n
      CROSS JOIN LATERAL (SELECT w.slug, w.runs FROM "WorkspacePackageUse" w WHERE w."workspaceId" = n."workspaceId" OFFSET 0) u
    ), similarity AS (
      SELECT n."workspaceId", n.shared::float8 / ((SELECT count(*) FROM mine) + count(t.slug) - n.shared) AS jaccard
      FROM neighbours n JOIN theirs t USING ("workspaceId") GROUP BY n."workspaceId", n.shared
    ), co_used AS (
      SELECT t.slug, sum(sim.jaccard * ln(1 + t.runs)) AS score, count(*)::int AS workspaces, NULL::text AS via
      FROM theirs t JOIN similarity sim USING ("workspaceId") JOIN "CatalogEntry" e ON e.slug = t.slug
      WHERE t.slug NOT IN (SELECT slug FROM excluded)
      GROUP BY t.slug
    ), popular AS (
      -- When no neighbour ran anything new to this workspace: the categories it uses first, then overall (each read in index order).
      SELECT DISTINCT ON (slug) * FROM (
        (SELECT e.slug, 1e9 + e."workspaces90" AS score, e."workspaces90" AS workspaces, e.category AS via
         FROM (SELECT DISTINCT category FROM mine WHERE NOT EXISTS (SELECT 1 FROM co_used)) mc CROSS JOIN LATERAL (
           SELECT e.* FROM "CatalogEntry" e WHERE e.category = mc.category AND e."workspaces90" > 0 AND e.slug NOT IN (SELECT slug FROM excluded)
           ORDER BY e."workspaces90" DESC, e.slug LIMIT ${limit}) e
         ORDER BY e."workspaces90" DESC, e.slug LIMIT ${limit})
        UNION ALL
        (SELECT e.slug, e."workspaces90", e."workspaces90", e.category FROM "CatalogEntry" e
         WHERE NOT EXISTS (SELECT 1 FROM co_used) AND e."workspaces90" > 0 AND e.slug NOT IN (SELECT slug FROM excluded)
         ORDER BY e."workspaces90" DESC, e.slug LIMIT ${limit})
      ) p ORDER BY slug, score DESC
    ), rising AS (
      SELECT e.slug, e."risingScore" AS score, e."workspaces90" AS workspaces, NULL::text AS via
      FROM "CatalogEntry" e
      WHERE e."firstPublishedAt" >= ${newSince} AND e.slug NOT IN (SELECT slug FROM excluded)
      ORDER BY e."risingScore" DESC, e."createdAt" DESC, e.slug LIMIT 1
    ), picked AS (
      (SELECT 'similar-workspaces' AS kind, slug, score::float8 AS score, workspaces, via FROM co_used ORDER BY score DESC, slug LIMIT ${limit})
      UNION ALL SELECT 'popular', slug, score::float8, workspaces, via FROM popular
      UNION ALL SELECT 'new-and-rising', slug, score::float8, workspaces, via FROM rising
    )
    SELECT ${cardColumns}, ${cardProviderColumns}, k.kind, k.score, k.workspaces,
           -- for a co-used one's reason: the package of this workspace most of those neighbours also run
           CASE WHEN k.kind = 'similar-workspaces' THEN (
             SELECT m.slug FROM theirs o JOIN mine m ON m.slug = o.slug
             WHERE o."workspaceId" IN (SELECT w."workspaceId" FROM theirs w WHERE w.slug = k.slug)
             GROUP BY m.slug ORDER BY count(*) DESC, m.slug LIMIT 1) ELSE k.via END AS via
    FROM picked k JOIN "CatalogEntry" e ON e.slug = k.slug JOIN "AgentPackage" l ON l.id = e."packageId"
    LEFT JOIN "PackageStats" s ON s.slug = k.slug LEFT JOIN "Provider" p ON p.id = l."providerId"`;
  return arrange(rows, limit);
}

/**
 * The packages.stats job's part for recommendations: WorkspacePackageUse made equal
 * to the usage rollup's last USAGE_DAYS (per workspace and slug, summed over
 * versions and days) in one statement — changed rows updated, new ones inserted,
 * gone ones deleted — so a reader sees the old set or the new. Returns the rows kept.
 */
export async function refreshWorkspacePackageUse(client: DbTx, at: Date): Promise<number> {
  const since = new Date(at.getTime() - USAGE_DAYS * 86_400_000);
  // Two at once (a slow run of the job and the next) take turns: each rewrites the whole table.
  const [row] = await client.$queryRaw<{ kept: number }[]>`
    WITH turn AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext('agora-workspace-package-use'))), fresh AS MATERIALIZED (
      SELECT u."workspaceId", p.slug, sum(u.runs)::int AS runs FROM turn, "PackageUsageDaily" u JOIN "AgentPackage" p ON p.id = u."packageId"
      WHERE u.day >= ${since}::date GROUP BY u."workspaceId", p.slug HAVING sum(u.runs) > 0
    ), upserted AS (
      INSERT INTO "WorkspacePackageUse" AS w ("workspaceId", slug, runs) SELECT * FROM fresh
      ON CONFLICT ("workspaceId", slug) DO UPDATE SET runs = excluded.runs WHERE w.runs <> excluded.runs
    ), gone AS (
      DELETE FROM "WorkspacePackageUse" w WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f."workspaceId" = w."workspaceId" AND f.slug = w.slug)
    )
    SELECT count(*)::int AS kept FROM fresh`;
  return row!.kept;
}

/** Co-usage or popular first (best first), the rising one in the fixed second slot; a package listed once. */
function arrange(rows: RecRow[], limit: number): Recommendation[] {
  const rising = rows.find((r) => r.kind === "new-and-rising");
  const main = rows
    .filter((r) => r.kind !== "new-and-rising" && r.slug !== rising?.slug)
    .sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug))
    .slice(0, rising ? limit - 1 : limit);
  const list = rising ? [...main.slice(0, 1), rising, ...main.slice(1)] : main;
  return list.map((r) => ({ kind: r.kind, reason: reasonOf(r), agent: agentCardJson(r) }));
}

const workspacesText = (n: number) => `${n} workspace${n === 1 ? "" : "s"}`;

function reasonOf(r: RecRow): string {
  switch (r.kind) {
    case "similar-workspaces":
      return `Used by ${workspacesText(r.workspaces)} that also use ${r.via}`;
    case "popular":
      return r.score >= 1e9 ? `Popular in ${r.via}: run by ${workspacesText(r.workspaces)} in the last ${USAGE_DAYS} days` : `Popular: run by ${workspacesText(r.workspaces)} in the last ${USAGE_DAYS} days`;
    case "new-and-rising":
      return r.workspaces ? `New and rising: published in the last ${RISING_DAYS} days, already run by ${workspacesText(r.workspaces)}` : `New: published in the last ${RISING_DAYS} days`;
  }
}
