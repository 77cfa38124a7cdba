import { z } from "zod";
import { db, type DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { paginationQuery } from "@/lib/http/pagination";
import { metrics } from "@/lib/observability/metrics";
import { microsJson } from "@/lib/money/format";
import { pendingPriceChange } from "@/lib/packages/price-changes";
import { newestVersionFirst } from "@/lib/packages/semver";
import { catalogFacetCounts, type CatalogFacets } from "./catalog-facets";
import { filterConditions, latestPublished, prefixQuery, searchMatch } from "./catalog-match";

// The public catalog (SPEC §1, §9): the newest published version of each
// package, PostgreSQL full-text search with ranking (prefix matching, so search
// works as you type) and a trigram fallback for typos, filters with counts,
// four sorts and keyset cursors.

export const catalogSorts = ["relevance", "popular", "newest", "price"] as const;

export const listAgentsQuerySchema = paginationQuery({ defaultLimit: 24, maxLimit: 50 }) // a grid of 2, 3 or 4 columns
  .extend({
    q: z.string().trim().max(200).optional(),
    category: z.string().trim().min(1).max(50).optional(),
    capability: z.string().trim().min(1).max(50).optional(),
    minPrice: z.coerce.number().int().min(0).optional(),
    maxPrice: z.coerce.number().int().min(0).optional(),
    sort: z.enum(catalogSorts).optional(),
    provider: z.string().trim().min(1).max(40).optional(), // a provider's slug
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, { path: ["maxPrice"], message: "must be at least minPrice" });
export type ListAgentsQuery = z.infer<typeof listAgentsQuerySchema>;

type Row = {
  slug: string;
  version: string;
  name: string;
  summary: string;
  category: string;
  capabilities: string[];
  model: string;
  baseFeeMicros: bigint;
  createdAt: Date;
  runs: bigint;
  successes: bigint;
  ratingSum: bigint;
  ratingCount: bigint;
  rank: number;
  providerSlug: string | null;
  providerName: string | null;
  providerVerified: boolean | null;
};

export function agentCardJson(r: Row) {
  const runs = Number(r.runs);
  return {
    slug: r.slug,
    version: r.version,
    name: r.name,
    summary: r.summary,
    category: r.category,
    capabilities: r.capabilities,
    model: r.model,
    baseFeeMicros: microsJson(r.baseFeeMicros),
    runs,
    successRate: runs ? Number(r.successes) / runs : null,
    rating: Number(r.ratingCount) ? Number(r.ratingSum) / Number(r.ratingCount) : null,
    createdAt: r.createdAt.toISOString(),
    /** Who publishes it (null only for a package no provider is linked to yet). */
    provider: r.providerSlug === null ? null : { slug: r.providerSlug, name: r.providerName ?? r.providerSlug, verified: r.providerVerified === true },
  };
}
export type AgentCard = ReturnType<typeof agentCardJson>;

// Sort key (a column of `ranked`), direction, and the JS type of its cursor value.
const sorts = {
  relevance: { key: "rank", dir: "DESC", type: "number" },
  popular: { key: "runs", dir: "DESC", type: "number" },
  newest: { key: "createdAtMs", dir: "DESC", type: "number" },
  price: { key: "baseFeeMicros", dir: "ASC", type: "number" },
} as const;

export type CatalogPage = {
  data: AgentCard[];
  nextCursor: string | null;
  sort: string;
  /** True when full text found nothing and these are the packages with words like the search's (a typo). */
  similarWords: boolean;
  /** First page only: what each filter chip would leave, given the other filters and the search. */
  facets?: CatalogFacets;
};

export async function listAgents(q: ListAgentsQuery, client: DbTx = db): Promise<CatalogPage> {
  const m = metrics();
  m.catalogSearches.inc();
  const stop = m.catalogSearchDuration.startTimer();
  try {
    const [page, facets] = await Promise.all([searchCatalog(q, client), q.cursor ? undefined : catalogFacetCounts(q, client)]);
    return { ...page, facets };
  } finally {
    stop();
  }
}

/**
 * One page of the catalog. A search matches in full text; when that finds nothing
 * among the filtered packages, it matches by trigram similarity instead (decided
 * in the query, so every page of a listing agrees).
 */
async function searchCatalog(q: ListAgentsQuery, client: DbTx): Promise<Omit<CatalogPage, "facets">> {
  const sortName = q.sort ?? (prefixQuery(q.q) ? "relevance" : "popular");
  const sort = sorts[sortName];
  const match = searchMatch(q.q);
  const where = filterConditions(q);

  const key = Prisma.raw(`"${sort.key}"`);
  const cmp = Prisma.raw(sort.dir === "DESC" ? "<" : ">");
  const dir = Prisma.raw(sort.dir);
  let after = Prisma.sql`TRUE`;
  if (q.cursor) {
    const [value, slug] = decodeCursor(q.cursor, [sort.type, "string"]);
    after = Prisma.sql`(${key}, slug) ${cmp} (${value}::numeric, ${slug})`;
  }

  const rows = await client.$queryRaw<(Row & { sortValue: Prisma.Decimal; exact: boolean })[]>`
    WITH latest AS (${latestPublished}), stats AS (
      SELECT slug, sum("runCount")::bigint AS runs, sum("successCount")::bigint AS successes,
             sum("ratingSum")::bigint AS "ratingSum", sum("ratingCount")::bigint AS "ratingCount"
      FROM "AgentPackage" GROUP BY slug
    ), candidates AS (
      SELECT l.slug, l.version, l.name, l.summary, l.category, l.capabilities, l.model, l."baseFeeMicros", l."createdAt",
             s.runs, s.successes, s."ratingSum", s."ratingCount", (extract(epoch FROM l."createdAt") * 1000)::bigint AS "createdAtMs",
             p.slug AS "providerSlug", p.name AS "providerName", p.verified AS "providerVerified",
             ${match.fullText} AS "fullText", ${match.rank} AS "fullTextRank", ${match.similar} AS "similar", ${match.similarity} AS similarity
      FROM latest l JOIN stats s USING (slug) LEFT JOIN "Provider" p ON p.id = l."providerId"
      WHERE ${where.category} AND ${where.capability} AND ${where.price} AND ${where.provider}
    ), mode AS (
      SELECT coalesce(bool_or("fullText"), TRUE) AS exact FROM candidates
    ), ranked AS (
      SELECT c.*, mode.exact, CASE WHEN mode.exact THEN c."fullTextRank" ELSE c.similarity END AS rank
      FROM candidates c CROSS JOIN mode
      WHERE CASE WHEN mode.exact THEN c."fullText" ELSE c."similar" END
    )
    SELECT *, ${key}::numeric AS "sortValue" FROM ranked
    WHERE ${after}
    ORDER BY ${key} ${dir}, slug ${dir}
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => agentCardJson({ ...r, rank: Number(r.rank) })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([Number(last.sortValue), last.slug]) : null,
    sort: sortName,
    similarWords: rows[0]?.exact === false,
  };
}

export async function getAgent(slug: string) {
  const versions = newestVersionFirst(await db.agentPackage.findMany({ where: { slug, status: "PUBLISHED" }, include: { provider: { select: { slug: true, name: true, verified: true } } } }));
  const latest = versions[0];
  if (!latest) throw new ApiError("not_found", `No published agent '${slug}'.`);
  const runs = versions.reduce((n, v) => n + v.runCount, 0);
  const successes = versions.reduce((n, v) => n + v.successCount, 0);
  const ratingSum = versions.reduce((n, v) => n + v.ratingSum, 0);
  const ratingCount = versions.reduce((n, v) => n + v.ratingCount, 0);
  return {
    ...agentCardJson({
      ...latest,
      runs: BigInt(runs),
      successes: BigInt(successes),
      ratingSum: BigInt(ratingSum),
      ratingCount: BigInt(ratingCount),
      rank: 0,
      providerSlug: latest.provider?.slug ?? null,
      providerName: latest.provider?.name ?? null,
      providerVerified: latest.provider?.verified ?? null,
    }),
    description: latest.description,
    maxOutputTokens: latest.maxOutputTokens,
    inputSchema: latest.inputSchema,
    outputSchema: latest.outputSchema,
    exampleInput: latest.exampleInput,
    versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString() })),
    /** A third-party package's scheduled price increase, shown until it takes effect. */
    pendingPriceChange: latest.kind === "BUILTIN" ? null : await pendingPriceChange(slug),
  };
}
export type AgentDetail = Awaited<ReturnType<typeof getAgent>>;
