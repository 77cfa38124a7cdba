import { z } from "zod";
import { sharedCaches } from "@/lib/cache/shared-cache";
import { db, type DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { paginationQuery } from "@/lib/http/pagination";
import { metrics } from "@/lib/observability/metrics";
import { microsJson } from "@/lib/money/format";
import { dataKinds } from "@/lib/packages/accepts";
import { pendingPriceChange } from "@/lib/packages/price-changes";
import { trustSelect, trustView } from "@/lib/packages/trust";
import { newestVersionFirst } from "@/lib/packages/semver";
import { catalogFacetCounts, facetsFromJson, facetsJsonSql, type CatalogFacets, type FacetsJson } from "./catalog-facets";
import { filterConditions, fullTextFinds, planPerCall, prefixQuery, RANK_CANDIDATES, searchMatch, searchWords } from "./catalog-match";
import { explainRank, rankColumns, rankScore, type RankedRow, type RankJson } from "./catalog-rank";

// The public catalog (SPEC §1, §9): one entry per package (CatalogEntry, its
// newest published version's listed columns with its precomputed stats),
// PostgreSQL full-text search ranked with trust and price (prefix matching, so
// search works as you type) and a trigram fallback for typos, filters with
// counts, four sorts and keyset cursors. The page's cards join the version row.

export const catalogSorts = ["relevance", "popular", "newest", "price"] as const;

/** `accepts=csv,json` (or repeated in a direct call): kinds of data a package must all accept. */
const acceptsParam = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [...new Set((Array.isArray(v) ? v : v.split(",")).map((k) => k.trim().toLowerCase()).filter(Boolean))])
  .pipe(z.array(z.enum(dataKinds, { message: `must be among ${dataKinds.join(", ")}` })).max(dataKinds.length));

export const listAgentsQuerySchema = paginationQuery({ defaultLimit: 24, maxLimit: 50 }) // a grid of 2, 3 or 4 columns
  .extend({
    q: z.string().trim().max(200).optional(),
    category: z.string().trim().min(1).max(50).optional(),
    capability: z.string().trim().min(1).max(50).optional(),
    accepts: acceptsParam.optional(),
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
  /** Kinds of data its input takes (lib/packages/accepts.ts); empty = not derived yet. */
  accepts?: string[];
  model: string;
  baseFeeMicros: bigint;
  createdAt: Date;
  runs: bigint;
  successes: bigint;
  /** The displayed (Bayesian) rating and how many workspaces reviewed (PackageStats, lib/packages/rating.ts); null = no reviews. */
  rating: number | null;
  ratingCount: bigint | number;
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
    accepts: r.accepts ?? [],
    model: r.model,
    baseFeeMicros: microsJson(r.baseFeeMicros),
    runs,
    successRate: runs ? Number(r.successes) / runs : null,
    rating: r.rating,
    ratingCount: Number(r.ratingCount),
    createdAt: r.createdAt.toISOString(),
    /** Who publishes it (null only for a package no provider is linked to yet). */
    provider: r.providerSlug === null ? null : { slug: r.providerSlug, name: r.providerName ?? r.providerSlug, verified: r.providerVerified === true },
  };
}
export type AgentCard = ReturnType<typeof agentCardJson>;
/** A catalog result: the card and why it ranks where it does. */
export type CatalogResult = AgentCard & { rank: RankJson };

/** A card's columns (`Row` but the provider's), from a latest package row `l` and its stats `s` (LEFT JOIN "PackageStats" s ON s.slug = l.slug). */
export const cardColumns = Prisma.sql`l.slug, l.version, l.name, l.summary, l.category, l.capabilities, l.accepts, l.model, l."baseFeeMicros", l."createdAt",
  coalesce(s."runsTotal", 0)::bigint AS runs, coalesce(s."succeededTotal", 0)::bigint AS successes,
  s.rating, coalesce(s."ratingCount", 0) AS "ratingCount", 0 AS rank`;
/** A card's provider columns, from `p` (LEFT JOIN "Provider" p ON p.id = l."providerId"). */
export const cardProviderColumns = Prisma.sql`p.slug AS "providerSlug", p.name AS "providerName", p.verified AS "providerVerified"`;
export type CardRow = Row;

// Each sort's key on the entry `c` (an index's leading column; relevance is the score) and direction.
const sorts = {
  relevance: { key: null, dir: "DESC" },
  popular: { key: Prisma.sql`c."runsTotal"`, dir: "DESC" },
  newest: { key: Prisma.sql`c."createdAt"`, dir: "DESC" },
  price: { key: Prisma.sql`c."baseFeeMicros"`, dir: "ASC" },
} as const;
type SortName = keyof typeof sorts;
/** The sort key as a cursor's number (createdAt as epoch milliseconds)… */
const asCursorNumber = (sort: SortName, key: Prisma.Sql) => (sort === "newest" ? Prisma.sql`(extract(epoch FROM ${key}) * 1000)::float8` : Prisma.sql`(${key})::float8`);
/** …and a cursor's number as the sort key's type, so the comparison can use the key's index. */
const fromCursorNumber = (sort: SortName, value: number) =>
  sort === "newest" ? Prisma.sql`(timestamp 'epoch' + ${value} * interval '1 millisecond')` : sort === "relevance" ? Prisma.sql`${value}::float8` : Prisma.sql`${value}::numeric`;

export type CatalogPage = {
  data: CatalogResult[];
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
    const where = filterConditions(q);
    const chips = !!(q.category || q.capability || q.accepts?.length);
    // A typed search's first page (no chips chosen): one statement reads the candidates once for the ranking
    // (or, in another order, the text part's scale) and the counts — the full-text ones, or when there are none the similar-word ones.
    if (!q.cursor && !chips && prefixQuery(q.q)) return await searchCatalog(q, client, { withFacets: true });
    // Without chips chosen, the page and the counts ask full text the same question (the price range, the provider): once.
    const found = chips ? undefined : fullTextFinds(q.q, [where.price, where.provider], client);
    const [page, facets] = await Promise.all([searchCatalog(q, client, { found }), q.cursor ? undefined : facetCounts(q, client, found)]);
    return { ...page, facets };
  } finally {
    stop();
  }
}

/**
 * The chips' counts. Without search words they count over every listed package (or
 * every one of a category, a kind…): a cost that follows the catalog's size, the same
 * for every visitor, so they are kept for a few seconds; the page itself is read
 * fresh (in an index's order). A search's counts (over its matches), a provider's
 * listing and a transaction's reads are never cached.
 */
function facetCounts(q: ListAgentsQuery, client: DbTx, found?: Promise<boolean>): Promise<CatalogFacets> {
  if (prefixQuery(q.q) || q.provider || client !== db) return catalogFacetCounts(q, client, found);
  const { category, capability, accepts, minPrice, maxPrice } = q;
  return facetCache().get(JSON.stringify([category, capability, accepts, minPrice, maxPrice]), () => catalogFacetCounts(q, client));
}

/**
 * How long the chip counts of a listing without search words are kept before they are counted again. The
 * recount happens in the background while the old counts are served (for up to FACET_STALE_MS more), so a
 * visitor waits for it only when nobody asked for that listing for that long; a newly published package counts
 * in them from the first request after this.
 */
export const FACET_CACHE_MS = 10_000;
export const FACET_STALE_MS = 10 * 60_000;
const facetCache = () => sharedCaches().cache<CatalogFacets>("catalog-facets", { ttlMs: FACET_CACHE_MS, staleMs: FACET_STALE_MS, maxEntries: 500 });

type ResultRow = Row & RankedRow & { sortValue: Prisma.Decimal | number };

/**
 * One page of the catalog. A search matches in full text; when that finds nothing
 * among the filtered packages, it matches by trigram similarity instead (decided
 * before the page is read, without the cursor, so every page of a listing agrees;
 * on a typed search's first page, in the same statement: its full-text candidates,
 * else its similar-word ones). Sorted by relevance with search words, each match's
 * text score is divided by the best match's, so the cost follows the number of
 * matches; the other orders read the entries in an index's order and stop at the
 * page (without words, relevance is trust and price alone: a scan of the narrow entries).
 */
async function searchCatalog(q: ListAgentsQuery, client: DbTx, opts: { found?: Promise<boolean>; withFacets?: boolean }): Promise<CatalogPage> {
  const sortName: SortName = q.sort ?? (prefixQuery(q.q) ? "relevance" : "popular");
  const sort = sorts[sortName];
  const match = searchMatch(q.q);
  const where = filterConditions(q);
  const filters = Prisma.join([where.category, where.capability, where.accepts, where.price, where.provider], " AND ");
  // Full text or similar words: known before the statement, or — with the counts — decided in it: whether its full-text candidates hold any.
  const known = opts.withFacets ? undefined : opts.found ? await opts.found : await fullTextFinds(q.q, [filters], client);
  const exact = known ?? Prisma.sql`EXISTS (SELECT 1 FROM "fullText")`;
  const matching = (isExact: boolean) => Prisma.sql`${isExact ? match.fullText : match.similar} AND ${filters}`;
  const textRaw = (isExact: boolean) => (isExact ? match.rank : match.similarRank);
  const words = searchWords(q.q);
  const dir = Prisma.raw(sort.dir);
  const cmp = Prisma.raw(sort.dir === "DESC" ? "<" : ">");
  const cursor = q.cursor ? (decodeCursor(q.cursor, ["number", "string"]) as [number, string]) : undefined;

  // The candidates a search is ranked among: every match when there are at most RANK_CANDIDATES, else
  // those with the best trust and price (an index's order, so a very broad word reads a bounded part).
  // They are every match read, so similar words' similarity is computed once per entry (`similarEach`).
  const every = match.similarEach;
  const candidates = (isExact: boolean, limit: number, more = Prisma.empty) => Prisma.sql`
    SELECT c.slug, c."packageId", c."trustScore", c."trustNew", c."workspaces90", c."medianPriceMicros", c."baseFeeMicros", c."staticScore",
           (${isExact ? match.rank : every.similarRank})::float8 AS "textRaw" ${more}
    FROM ${isExact ? Prisma.sql`"CatalogEntry" c` : every.entries} WHERE ${isExact ? match.fullText : every.similar} AND ${filters} ORDER BY c."staticScore" DESC, c.slug DESC LIMIT ${limit}`;
  // With the counts: the candidates and one more (`found`: were there more?) with what the chips count — the full-text
  // ones, else (none) the similar-word ones — the ranked ones as `m`: the relations lib/agents/catalog-facets.ts counts over.
  const counted = Prisma.sql`, c.category, c.capabilities, c.accepts, TRUE AS "inCategory", TRUE AS "inCapability", TRUE AS "inAccepts"`;
  const withCounts = opts.withFacets
    ? Prisma.sql`WITH "fullText" AS (${candidates(true, RANK_CANDIDATES + 1, counted)}),
        found AS (SELECT * FROM "fullText" UNION ALL SELECT * FROM (${candidates(false, RANK_CANDIDATES + 1, counted)}) alike WHERE NOT ${exact}),
        m AS (SELECT * FROM found ORDER BY "staticScore" DESC, slug DESC LIMIT ${RANK_CANDIDATES})`
    : Prisma.empty;
  const ranked = (isExact: boolean) => (opts.withFacets ? Prisma.sql`m` : Prisma.sql`(${candidates(isExact, RANK_CANDIDATES)})`);
  let page: Prisma.Sql;
  if (sort.key === null && words.length) {
    // Relevance with words: each candidate's text score, relative to the best candidate's (a window over them).
    const text = Prisma.sql`CASE WHEN max(c."textRaw") OVER () > 0 THEN c."textRaw" / max(c."textRaw") OVER () ELSE 0 END`;
    const after = cursor ? Prisma.sql`(score, slug) ${cmp} (${cursor[0]}::float8, ${cursor[1]})` : Prisma.sql`TRUE`;
    page = Prisma.sql`
      SELECT * FROM (SELECT c.slug, c."packageId", ${rankColumns(text)}, ${rankScore(text)} AS "sortValue" FROM ${ranked(known ?? true)} c) scored
      WHERE ${after} ORDER BY score ${dir}, slug ${dir} LIMIT ${q.limit + 1}`;
  } else {
    // An index's order (without words, relevance is trust and price: the staticScore index); a search's text part is
    // relative to its best candidate's, at most 1. Decided in the statement: both ways, each planned for itself and
    // run only if it is the one (a one-time test).
    const pageOf = (isExact: boolean) => {
      const text = words.length
        ? Prisma.sql`least(1, coalesce((${textRaw(isExact)})::float8 / nullif((SELECT max(x."textRaw") FROM ${ranked(isExact)} x), 0), 0))`
        : Prisma.sql`0::float8`;
      const key = sort.key ?? (words.length ? rankScore(text) : Prisma.sql`c."staticScore"`);
      const after = cursor ? Prisma.sql`(${key}, c.slug) ${cmp} (${fromCursorNumber(sortName, cursor[0])}, ${cursor[1]})` : Prisma.sql`TRUE`;
      return Prisma.sql`
        SELECT c.slug, c."packageId", ${rankColumns(text)}, ${asCursorNumber(sortName, key)} AS "sortValue"
        FROM "CatalogEntry" c WHERE ${matching(isExact)} AND ${after}
        ORDER BY ${key} ${dir}, c.slug ${dir} LIMIT ${q.limit + 1}`;
    };
    page =
      known !== undefined
        ? pageOf(known)
        : Prisma.sql`SELECT * FROM (${pageOf(true)}) e WHERE ${exact} UNION ALL SELECT * FROM (${pageOf(false)}) s WHERE NOT ${exact}`;
  }
  // The cards' text only for the page: the version row, its stats and its provider.
  // The counts ride on the first row only (their subqueries run once).
  const facetsColumn = opts.withFacets
    ? Prisma.sql`, CASE WHEN row_number() OVER (ORDER BY x."sortValue" ${dir}, x.slug ${dir}) = 1 THEN ${facetsJsonSql(true)} END AS facets`
    : Prisma.empty;
  const rows = await client.$queryRaw<(ResultRow & { exact: boolean; facets?: FacetsJson | null })[]>`${planPerCall}
    ${withCounts}
    SELECT ${cardColumns}, x.score, x."textScore", x."trustPart", x."pricePart", x."trustScore", x."trustNew", x."workspaces90", x."medianPriceMicros",
           ${matchedFieldsSql(q.q, exact)}, (${exact})::boolean AS exact, ${cardProviderColumns}, x."sortValue" ${facetsColumn}
    FROM (${page}) x
    JOIN "AgentPackage" l ON l.id = x."packageId" LEFT JOIN "PackageStats" s ON s.slug = x.slug LEFT JOIN "Provider" p ON p.id = l."providerId"
    ORDER BY x."sortValue" ${dir}, x.slug ${dir}`;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  const isExact = rows[0]?.exact !== false; // no rows: nothing to explain, no similar words
  return {
    data: shown.map((r) => ({ ...agentCardJson(r), rank: explainRank(r, { words, exact: isExact }) })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([Number(last.sortValue), last.slug]) : null,
    sort: sortName,
    similarWords: !isExact,
    // No row, no counts to ride on: nothing matched, so every chip counts 0 (none shown).
    ...(opts.withFacets ? { facets: rows[0]?.facets ? facetsFromJson(rows[0].facets) : facetsFromJson({ bounded: false, categories: null, capabilities: null, accepts: null }) } : {}),
  };
}

/**
 * For the explanation: which of a result's fields hold any of the search's words (full text), or nothing to say
 * (similar words, no search). The short fields are parsed again; the description — the long one — is read off
 * the stored document, where it alone has weight C (lib/agents/search-vector.ts).
 */
function matchedFieldsSql(q: string | undefined, exact: boolean | Prisma.Sql): Prisma.Sql {
  const prefixes = searchWords(q).map((w) => `${w}:*`);
  if (!prefixes.length || exact === false) return Prisma.sql`FALSE AS "inName", FALSE AS "inSummary", FALSE AS "inDescription", FALSE AS "inCapabilities", FALSE AS "inCategory"`;
  const anyWord = prefixes.join(" | ");
  const ifExact = exact === true ? Prisma.empty : Prisma.sql`${exact} AND `; // decided in the statement: nothing to say of similar words
  const hit = (text: Prisma.Sql) => Prisma.sql`${ifExact}to_tsvector('english', ${text}) @@ to_tsquery('english', ${anyWord})`;
  const inDescription = Prisma.sql`${ifExact}l."searchVector" @@ to_tsquery('english', ${prefixes.map((p) => `${p}C`).join(" | ")})`;
  return Prisma.sql`${hit(Prisma.sql`l.name`)} AS "inName", ${hit(Prisma.sql`l.summary`)} AS "inSummary", ${inDescription} AS "inDescription",
    ${hit(Prisma.sql`array_to_string(l.capabilities, ' ')`)} AS "inCapabilities", ${hit(Prisma.sql`l.category`)} AS "inCategory"`;
}

export async function getAgent(slug: string) {
  const versions = newestVersionFirst(await db.agentPackage.findMany({ where: { slug, status: "PUBLISHED" }, include: { provider: { select: { slug: true, name: true, verified: true } } } }));
  const latest = versions[0];
  if (!latest) throw new ApiError("not_found", `No published agent '${slug}'.`);
  const runs = versions.reduce((n, v) => n + v.runCount, 0);
  const successes = versions.reduce((n, v) => n + v.successCount, 0);
  // The displayed rating is the reviews' (lib/packages/rating.ts), kept in PackageStats with the trust score.
  const stats = await db.packageStats.findUnique({ where: { slug }, select: { ...trustSelect, rating: true, ratingCount: true } });
  return {
    ...agentCardJson({
      ...latest,
      runs: BigInt(runs),
      successes: BigInt(successes),
      rating: stats?.rating ?? null,
      ratingCount: stats?.ratingCount ?? 0,
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
    /** Trust score as the packages.stats job last computed it (lib/packages/trust.ts); `score` null = "new". */
    trust: trustView(stats),
  };
}
export type AgentDetail = Awaited<ReturnType<typeof getAgent>>;
