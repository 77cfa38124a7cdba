import { z } from "zod";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { paginationQuery } from "@/lib/http/pagination";
import { metrics } from "@/lib/observability/metrics";
import { microsJson } from "@/lib/money/format";

// The public catalog (SPEC §1, §9): the newest published version of each
// package, PostgreSQL full-text search with ranking (prefix matching, so search
// works as you type), filters, four sorts and keyset cursors.

export const catalogSorts = ["relevance", "popular", "newest", "price"] as const;

export const listAgentsQuerySchema = paginationQuery({ defaultLimit: 24, maxLimit: 50 }) // a grid of 2, 3 or 4 columns
  .extend({
    q: z.string().trim().max(200).optional(),
    category: z.string().trim().min(1).max(50).optional(),
    capability: z.string().trim().min(1).max(50).optional(),
    minPrice: z.coerce.number().int().min(0).optional(),
    maxPrice: z.coerce.number().int().min(0).optional(),
    sort: z.enum(catalogSorts).optional(),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, { path: ["maxPrice"], message: "must be at least minPrice" });
export type ListAgentsQuery = z.infer<typeof listAgentsQuerySchema>;

/** "secr scan" → `secr:* & scan:*`: every word, as a prefix. Only letters and digits reach to_tsquery. */
export function prefixQuery(q: string | undefined): string {
  const words = (q ?? "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.slice(0, 8).map((w) => `${w}:*`).join(" & ");
}

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

export async function listAgents(q: ListAgentsQuery): Promise<{ data: AgentCard[]; nextCursor: string | null; sort: string }> {
  const m = metrics();
  m.catalogSearches.inc();
  const stop = m.catalogSearchDuration.startTimer();
  try {
    return await searchCatalog(q);
  } finally {
    stop();
  }
}

async function searchCatalog(q: ListAgentsQuery): Promise<{ data: AgentCard[]; nextCursor: string | null; sort: string }> {
  const tsquery = prefixQuery(q.q);
  const sortName = q.sort ?? (tsquery ? "relevance" : "popular");
  const sort = sorts[sortName];
  const filters: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (tsquery) filters.push(Prisma.sql`l."searchVector" @@ to_tsquery('english', ${tsquery})`);
  if (q.category) filters.push(Prisma.sql`l.category = ${q.category}`);
  if (q.capability) filters.push(Prisma.sql`${q.capability} = ANY(l.capabilities)`);
  if (q.minPrice !== undefined) filters.push(Prisma.sql`l."baseFeeMicros" >= ${BigInt(q.minPrice)}`);
  if (q.maxPrice !== undefined) filters.push(Prisma.sql`l."baseFeeMicros" <= ${BigInt(q.maxPrice)}`);

  const key = Prisma.raw(`"${sort.key}"`);
  const cmp = Prisma.raw(sort.dir === "DESC" ? "<" : ">");
  const dir = Prisma.raw(sort.dir);
  let after = Prisma.sql`TRUE`;
  if (q.cursor) {
    const [value, slug] = decodeCursor(q.cursor, [sort.type, "string"]);
    after = Prisma.sql`(${key}, slug) ${cmp} (${value}::numeric, ${slug})`;
  }
  const rank = tsquery ? Prisma.sql`round(ts_rank_cd(l."searchVector", to_tsquery('english', ${tsquery}))::numeric, 6)` : Prisma.sql`0::numeric`;

  const rows = await db.$queryRaw<(Row & { sortValue: Prisma.Decimal })[]>`
    WITH latest AS (
      SELECT DISTINCT ON (slug) * FROM "AgentPackage" WHERE status = 'PUBLISHED' ORDER BY slug, "createdAt" DESC
    ), stats AS (
      SELECT slug, sum("runCount")::bigint AS runs, sum("successCount")::bigint AS successes,
             sum("ratingSum")::bigint AS "ratingSum", sum("ratingCount")::bigint AS "ratingCount"
      FROM "AgentPackage" GROUP BY slug
    ), ranked AS (
      SELECT l.slug, l.version, l.name, l.summary, l.category, l.capabilities, l.model, l."baseFeeMicros", l."createdAt",
             s.runs, s.successes, s."ratingSum", s."ratingCount", ${rank} AS rank,
             (extract(epoch FROM l."createdAt") * 1000)::bigint AS "createdAtMs"
      FROM latest l JOIN stats s USING (slug)
      WHERE ${Prisma.join(filters, " AND ")}
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
  };
}

/** Distinct categories and capabilities of published packages, for filter chips. */
export async function catalogFacets(): Promise<{ categories: string[]; capabilities: string[] }> {
  const rows = await db.agentPackage.findMany({ where: { status: "PUBLISHED" }, select: { category: true, capabilities: true } });
  return {
    categories: [...new Set(rows.map((r) => r.category))].sort(),
    capabilities: [...new Set(rows.flatMap((r) => r.capabilities))].sort(),
  };
}

export async function getAgent(slug: string) {
  const versions = await db.agentPackage.findMany({ where: { slug, status: "PUBLISHED" }, orderBy: { createdAt: "desc" } });
  const latest = versions[0];
  if (!latest) throw new ApiError("not_found", `No published agent '${slug}'.`);
  const runs = versions.reduce((n, v) => n + v.runCount, 0);
  const successes = versions.reduce((n, v) => n + v.successCount, 0);
  const ratingSum = versions.reduce((n, v) => n + v.ratingSum, 0);
  const ratingCount = versions.reduce((n, v) => n + v.ratingCount, 0);
  return {
    ...agentCardJson({ ...latest, runs: BigInt(runs), successes: BigInt(successes), ratingSum: BigInt(ratingSum), ratingCount: BigInt(ratingCount), rank: 0 }),
    description: latest.description,
    maxOutputTokens: latest.maxOutputTokens,
    inputSchema: latest.inputSchema,
    outputSchema: latest.outputSchema,
    exampleInput: latest.exampleInput,
    versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString() })),
  };
}
export type AgentDetail = Awaited<ReturnType<typeof getAgent>>;
