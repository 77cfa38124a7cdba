import { db, type DbTx } from "@/lib/db/client";
import { compareSemver } from "./semver";

// The displayed rating of a package (issue 20 item 4): one voice per paying
// workspace (PackageReview is unique per slug × workspace; hidden reviews do
// not count), pulled towards a prior so one angry (or glowing) review cannot
// swing a new package: rating = (C·m + Σ stars) / (C + n). Stored per slug in
// PackageStats.rating/ratingCount on every review write or hide — only those
// two columns: the rest of PackageStats belongs to the stats job.

/** m: where a package with few reviews starts (the middle of "fine" and "good"). */
export const PRIOR_MEAN = 3.5;
/** C: how many reviews' worth of weight the prior carries. */
export const PRIOR_WEIGHT = 5;

/** (C·m + Σ stars) / (C + n); null without reviews ("No reviews yet", never the prior alone). */
export function bayesianRating(starsSum: number, count: number): number | null {
  if (count === 0) return null;
  return (PRIOR_WEIGHT * PRIOR_MEAN + starsSum) / (PRIOR_WEIGHT + count);
}

export type RatingSummary = {
  /** The displayed (Bayesian) rating, null with no visible review. */
  rating: number | null;
  /** Distinct reviewing workspaces (hidden reviews excluded). */
  count: number;
  /** The plain mean of the stars, for reference. */
  average: number | null;
  /** Reviews per star: histogram[0] is 1★ … histogram[4] is 5★. */
  histogram: number[];
  /** The same formula over the reviews tied to each version, newest version first. */
  versions: { version: string; rating: number; count: number }[];
};

type Group = { version: string; rating: number; n: number };

/** The rating summary of a slug, read from its visible reviews. */
export async function ratingSummary(slug: string, client: DbTx = db): Promise<RatingSummary> {
  const groups = await client.$queryRaw<Group[]>`
    SELECT version, rating, count(*)::int AS n FROM "PackageReview"
    WHERE slug = ${slug} AND "hiddenAt" IS NULL GROUP BY version, rating`;
  const histogram = [0, 0, 0, 0, 0];
  const byVersion = new Map<string, { sum: number; count: number }>();
  for (const g of groups) {
    histogram[g.rating - 1]! += g.n;
    const v = byVersion.get(g.version) ?? { sum: 0, count: 0 };
    byVersion.set(g.version, { sum: v.sum + g.rating * g.n, count: v.count + g.n });
  }
  const count = histogram.reduce((a, b) => a + b, 0);
  const sum = histogram.reduce((a, n, i) => a + n * (i + 1), 0);
  const versions = [...byVersion].map(([version, v]) => ({ version, rating: bayesianRating(v.sum, v.count)!, count: v.count }));
  versions.sort((a, b) => compareSemver(b.version, a.version));
  return { rating: bayesianRating(sum, count), count, average: count ? sum / count : null, histogram, versions };
}

/**
 * Recomputes PackageStats.rating/ratingCount of `slug` inside the transaction that
 * changed a review. Writers of one slug take turns (an advisory lock), and each
 * reads after taking it, so the last to commit has counted every review before it.
 */
export async function recomputeRating(tx: DbTx, slug: string): Promise<{ rating: number | null; count: number }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`agora:package-rating:${slug}`}))`;
  const [row] = await tx.$queryRaw<{ sum: number; n: number }[]>`
    SELECT coalesce(sum(rating), 0)::int AS sum, count(*)::int AS n FROM "PackageReview" WHERE slug = ${slug} AND "hiddenAt" IS NULL`;
  const count = row?.n ?? 0;
  const rating = bayesianRating(row?.sum ?? 0, count);
  await tx.packageStats.upsert({ where: { slug }, create: { slug, rating, ratingCount: count }, update: { rating, ratingCount: count } });
  return { rating, count };
}
