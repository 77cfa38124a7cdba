import type { z } from "zod";
import { db, type Db, type DbTx } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { workspaceProvider } from "@/lib/payouts/dashboard";
import { now } from "@/lib/time/clock";
import { addCounts, DURATION_BOUNDS_MS, percentile, PRICE_BOUNDS_MICROS } from "./histogram";
import type { providerTrustResponseSchema } from "./schemas";
import { summedHistograms, windowStart } from "./version-stats";

// Trust scores (issue 20), per package slug and per provider, computed by the
// packages.stats job (every 10 minutes, lib/jobs/registry.ts) into
// PackageStats / ProviderStats — never on page load.
//
// Window: the last 90 UTC days (today included) of PackageUsageDaily, settled
// outcomes only. Runs of a package by its own provider's workspace do not
// count. Only successes and provider-caused failures count; consumer-input
// failures, platform failures and cancels are ignored.
//
// For each buying workspace w and each day-row r (version v, day d) of w:
//   decay(d)  = 0.5 ^ (age_days(d) / 30)                       (30-day half-life; today = 0)
//   S_w      += decay(d) × max(price_r, succeeded_r)   if succeeded_r > 0
//               (a success weighs its charged price — the row's charged total,
//               at least 1 µ$ per success so free packages still count)
//   F_w      += decay(d) × failedProvider_r × max(m_v, 1)
//               (m_v = version v's median successful price over the window, from
//               its price histogram; its base fee when it has no success in it)
//   rate_w    = S_w / (S_w + F_w)          (workspaces with S_w + F_w > 0 only)
//   score     = mean over those workspaces of rate_w           (one voice each)
//   n         = Σ_w min(succeeded_w + failedProvider_w, 10)   (one buyer adds ≤ 10)
//   band      = Wilson 95 % interval of `score` with n:
//               c = (score + z²/2n) / (1 + z²/n),  h = z/(1 + z²/n) × √(score(1−score)/n + z²/4n²),
//               [c − h, c + h] with z = 1.96; [0, 1] when n = 0
//   new       = n < 10 or fewer than 2 workspaces: trustScore is null (shown as
//               "new", never 0 or 100 %), the band is still stored.
// A provider's trust is the same over all its packages (a workspace's voice
// sums S and F over every package of the provider it bought).
// Exchange contracts (issue 21) that ended in the window count in the same
// voices, on the day they ended, weighted by money: a settled contract
// (accepted, auto-accepted, or a dispute released) is a success weighing its
// price; a refund for two failed deliveries or a missed deadline is a provider
// failure weighing the price; a dispute's partial refund is both — a success
// weighing what was charged and a failure weighing what was refunded (a full
// refund is a failure weighing the price). A contract adds no run.
//
// PackageStats also gets (buying workspaces only, same window): runs90,
// succeeded90, workspaces90 (distinct buying workspaces with a run),
// medianPriceMicros (successful runs' median price) and p50DurationMs (every
// run) from the slug's summed histograms, runsTotal/succeededTotal (every
// version's all-time counters), and risingScore: for a slug first published in
// the last 60 days, (distinct buying workspaces with a run in the last 14 days)
// × (trustScore ?? 0.5); 0 otherwise. `rating`/`ratingCount` are left alone
// (the reviews' job writes them).
//
// Cost: one statement sums the window's histograms per version, one
// aggregates the window's rollup rows to one row per slug and per provider
// (workspace voices are folded in SQL), two read AgentPackage, two bulk
// upserts — linear in the window's rows, no per-package round trip.

export const TRUST_WINDOW_DAYS = 90;
export const HALF_LIFE_DAYS = 30;
export const VOICE_CAP = 10;
export const NEW_BELOW_N = 10;
export const NEW_BELOW_WORKSPACES = 2;
export const RISING_NEW_DAYS = 60;
export const RISING_ACTIVE_DAYS = 14;
const Z = 1.96;

/** One buying workspace's weighted outcomes (successes S, provider failures F) and its counted runs. */
export type Voice = { s: number; f: number; counted: number };

export type Trust = { score: number | null; low: number; high: number; isNew: boolean; n: number; workspaces: number; estimate: number | null };

/** Wilson score interval (95 %) around `p` with `n` trials; [0, 1] when n = 0. */
export function wilson(p: number, n: number): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const z2 = Z * Z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (Z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** The trust of a set of workspaces' voices (the header's formula). */
export function trustOf(voices: Iterable<Voice>): Trust {
  let sum = 0;
  let workspaces = 0;
  let n = 0;
  for (const v of voices) {
    if (v.s + v.f <= 0) continue;
    sum += v.s / (v.s + v.f);
    workspaces++;
    n += Math.min(v.counted, VOICE_CAP);
  }
  return trustFrom(workspaces > 0 ? sum / workspaces : null, n, workspaces);
}

/** The trust of `workspaces` voices whose rates average `estimate`, with `n` (each workspace's counted runs capped at 10, summed). */
export function trustFrom(estimate: number | null, n: number, workspaces: number): Trust {
  const band = wilson(estimate ?? 0.5, n);
  const isNew = n < NEW_BELOW_N || workspaces < NEW_BELOW_WORKSPACES;
  return { score: isNew ? null : estimate, estimate, low: band.low, high: band.high, isNew, n, workspaces };
}

/** A slug's or a provider's aggregates over the window (buying workspaces only). */
type Aggregate = {
  kind: "slug" | "provider";
  key: string;
  runs: number;
  succeeded: number;
  failedProvider: number;
  s: number;
  f: number;
  /** Distinct buying workspaces with a run; with a run in the last 14 days. */
  workspaces: number;
  recent: number;
  /** Mean of the voices' rates (null without one), how many voices, n. */
  estimate: number | null;
  voices: number;
  n: number;
};

type SlugRow = { slug: string; providerId: string | null; runsTotal: number; succeededTotal: number; firstPublishedAt: Date | null };

/** Per package: what its provider's breakdown shows. */
export type PackageTrustBreakdown = {
  slug: string;
  score: number | null;
  low: number;
  high: number;
  isNew: boolean;
  runs: number;
  workspaces: number;
  providerFailures: number;
  successWeight: number;
  failureWeight: number;
};
export type ProviderTrustBreakdown = {
  windowDays: number;
  packages: PackageTrustBreakdown[];
  totals: { runs: number; workspaces: number; providerFailures: number; successWeight: number; failureWeight: number; n: number };
};

/** The packages.stats job: recomputes every published slug's PackageStats and every provider's ProviderStats. Returns how many slugs it wrote. */
export async function computePackageStats(jobDb: Db): Promise<number> {
  const at = await now(jobDb);
  const today = windowStart(at, 1);
  const since = windowStart(at, TRUST_WINDOW_DAYS);
  const since14 = windowStart(at, RISING_ACTIVE_DAYS);
  const histograms = await summedHistograms(jobDb, null, since);
  const medianIds: string[] = [];
  const medians: number[] = [];
  for (const [id, h] of histograms) {
    const m = percentile(PRICE_BOUNDS_MICROS, h.price, 0.5);
    if (m !== null) {
      medianIds.push(id);
      medians.push(m);
    }
  }
  const [aggregates, slugs] = await Promise.all([
    sql.query<Aggregate>(
      `WITH pw AS (
         SELECT p."slug", p."providerId", u."workspaceId",
                u."runs", u."succeeded", u."failedProvider", u."day" >= $3::date AND u."runs" > 0 AS recent,
                power(0.5, ($1::date - u."day") / ${HALF_LIFE_DAYS}.0) * CASE WHEN u."succeeded" > 0 THEN greatest(u."priceMicros", u."succeeded") ELSE 0 END AS s,
                power(0.5, ($1::date - u."day") / ${HALF_LIFE_DAYS}.0) * u."failedProvider" * greatest(coalesce(m."micros", p."baseFeeMicros"), 1) AS f
         FROM "PackageUsageDaily" u
         JOIN "AgentPackage" p ON p."id" = u."packageId"
         LEFT JOIN "Provider" pr ON pr."id" = p."providerId"
         LEFT JOIN unnest($4::text[], $5::bigint[]) AS m("packageId", "micros") ON m."packageId" = u."packageId"
         WHERE u."day" >= $2::date AND u."workspaceId" IS DISTINCT FROM pr."workspaceId"
         UNION ALL
         SELECT p."slug", c."providerId", c."buyerId", 0, (c."charged" > 0)::int, (c."refunded" > 0)::int, c."day" >= $3::date,
                power(0.5, ($1::date - c."day") / ${HALF_LIFE_DAYS}.0) * c."charged",
                power(0.5, ($1::date - c."day") / ${HALF_LIFE_DAYS}.0) * c."refunded"
         FROM (SELECT c."providerId", c."packageId", w."workspaceId" AS "buyerId", coalesce(c."settledAt", w."updatedAt")::date AS "day",
                      CASE WHEN w."status" IN ('SETTLED', 'RESOLVED') THEN c."priceMicros" - coalesce(c."refundMicros", 0) ELSE 0 END AS "charged",
                      CASE WHEN w."status" = 'RESOLVED' THEN coalesce(c."refundMicros", 0) WHEN w."status" = 'REFUNDED' THEN c."priceMicros" ELSE 0 END AS "refunded"
               FROM "Contract" c JOIN "Work" w ON w."id" = c."workId" WHERE w."status" IN ('SETTLED', 'RESOLVED', 'REFUNDED')) c
         LEFT JOIN "AgentPackage" p ON p."id" = c."packageId"
         JOIN "Provider" pr ON pr."id" = c."providerId"
         WHERE c."day" >= $2::date AND c."buyerId" IS DISTINCT FROM pr."workspaceId"
       ), voices AS (
         SELECT 'slug' AS kind, "slug" AS key, "workspaceId", sum("runs") AS runs, sum("succeeded") AS succeeded, sum("failedProvider") AS fp, sum(s) AS s, sum(f) AS f, bool_or(recent) AS recent
         FROM pw GROUP BY "slug", "workspaceId"
         UNION ALL
         SELECT 'provider', "providerId", "workspaceId", sum("runs"), sum("succeeded"), sum("failedProvider"), sum(s), sum(f), bool_or(recent)
         FROM pw WHERE "providerId" IS NOT NULL GROUP BY "providerId", "workspaceId"
       )
       SELECT kind, key, sum(runs)::int AS runs, sum(succeeded)::int AS succeeded, sum(fp)::int AS "failedProvider", sum(s)::float8 AS s, sum(f)::float8 AS f,
              (count(*) FILTER (WHERE runs > 0))::int AS workspaces, (count(*) FILTER (WHERE recent))::int AS recent,
              (avg(s / (s + f)) FILTER (WHERE s + f > 0))::float8 AS estimate, (count(*) FILTER (WHERE s + f > 0))::int AS voices,
              coalesce(sum(least(succeeded + fp, ${VOICE_CAP})) FILTER (WHERE s + f > 0), 0)::int AS n
       FROM voices GROUP BY kind, key`,
      [today, since, since14, medianIds, medians],
    ),
    sql.query<SlugRow>(
      `SELECT "slug", (array_agg("providerId" ORDER BY "createdAt" DESC))[1] AS "providerId",
              sum("runCount")::int AS "runsTotal", sum("successCount")::int AS "succeededTotal",
              min("publishedAt") FILTER (WHERE "status" IN ('PUBLISHED', 'YANKED')) AS "firstPublishedAt"
       FROM "AgentPackage" GROUP BY "slug" HAVING bool_or("status" IN ('PUBLISHED', 'YANKED'))`,
    ),
  ]);
  const bySlug = new Map(aggregates.filter((a) => a.kind === "slug").map((a) => [a.key, a]));
  const byProviderKey = new Map(aggregates.filter((a) => a.kind === "provider").map((a) => [a.key, a]));
  const trustOfAggregate = (a: Aggregate | undefined) => trustFrom(a?.estimate ?? null, a?.n ?? 0, a?.voices ?? 0);

  // Each slug's histograms summed over its versions (they include the provider's own runs: they are per version × day, not per workspace).
  const versionSlugs = await sql.query<{ id: string; slug: string }>(`SELECT "id", "slug" FROM "AgentPackage" WHERE "id" = ANY($1::text[])`, [[...histograms.keys()]]);
  const slugHistograms = new Map<string, { duration: number[]; price: number[] }>();
  for (const { id, slug } of versionSlugs) {
    const h = histograms.get(id)!;
    const sum = slugHistograms.get(slug) ?? { duration: [], price: [] };
    slugHistograms.set(slug, { duration: addCounts(sum.duration, h.duration), price: addCounts(sum.price, h.price) });
  }

  const risingSince = at.getTime() - RISING_NEW_DAYS * 86_400_000;
  const byProvider = new Map<string, PackageTrustBreakdown[]>();
  const out = slugs.map((sl) => {
    const a = bySlug.get(sl.slug);
    const t = trustOfAggregate(a);
    const h = slugHistograms.get(sl.slug);
    const rising = sl.firstPublishedAt && sl.firstPublishedAt.getTime() >= risingSince ? (a?.recent ?? 0) * (t.score ?? 0.5) : 0;
    if (sl.providerId) {
      const list = byProvider.get(sl.providerId) ?? [];
      list.push({ slug: sl.slug, score: t.score, low: t.low, high: t.high, isNew: t.isNew, runs: a?.runs ?? 0, workspaces: a?.workspaces ?? 0, providerFailures: a?.failedProvider ?? 0, successWeight: a?.s ?? 0, failureWeight: a?.f ?? 0 });
      byProvider.set(sl.providerId, list);
    }
    return {
      slug: sl.slug,
      runsTotal: sl.runsTotal,
      succeededTotal: sl.succeededTotal,
      runs90: a?.runs ?? 0,
      succeeded90: a?.succeeded ?? 0,
      workspaces90: a?.workspaces ?? 0,
      medianPriceMicros: h ? percentile(PRICE_BOUNDS_MICROS, h.price, 0.5) : null,
      p50DurationMs: h ? percentile(DURATION_BOUNDS_MS, h.duration, 0.5) : null,
      trust: t,
      rising,
    };
  });
  out.sort((x, y) => (x.slug < y.slug ? -1 : x.slug > y.slug ? 1 : 0));

  await sql.query(
    `INSERT INTO "PackageStats" AS ps ("slug", "runsTotal", "succeededTotal", "runs90", "succeeded90", "workspaces90", "medianPriceMicros", "p50DurationMs",
                                       "trustScore", "trustLow", "trustHigh", "trustNew", "risingScore", "computedAt")
     SELECT *, $13::timestamp FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[], $9::float8[], $10::float8[], $11::float8[], $12::boolean[], $14::float8[])
     ON CONFLICT ("slug") DO UPDATE SET
       "runsTotal" = excluded."runsTotal", "succeededTotal" = excluded."succeededTotal", "runs90" = excluded."runs90", "succeeded90" = excluded."succeeded90",
       "workspaces90" = excluded."workspaces90", "medianPriceMicros" = excluded."medianPriceMicros", "p50DurationMs" = excluded."p50DurationMs",
       "trustScore" = excluded."trustScore", "trustLow" = excluded."trustLow", "trustHigh" = excluded."trustHigh", "trustNew" = excluded."trustNew",
       "risingScore" = excluded."risingScore", "computedAt" = excluded."computedAt"`,
    [
      out.map((o) => o.slug),
      out.map((o) => o.runsTotal),
      out.map((o) => o.succeededTotal),
      out.map((o) => o.runs90),
      out.map((o) => o.succeeded90),
      out.map((o) => o.workspaces90),
      out.map((o) => o.medianPriceMicros),
      out.map((o) => o.p50DurationMs),
      out.map((o) => o.trust.score),
      out.map((o) => o.trust.low),
      out.map((o) => o.trust.high),
      out.map((o) => o.trust.isNew),
      at.toISOString().replace("T", " ").replace("Z", ""),
      out.map((o) => o.rising),
    ],
  );

  const providers = [...byProvider.keys()].sort();
  const provided = providers.map((id) => {
    const agg = byProviderKey.get(id);
    const t = trustOfAggregate(agg);
    const packages = byProvider.get(id)!;
    const breakdown: ProviderTrustBreakdown = {
      windowDays: TRUST_WINDOW_DAYS,
      packages,
      totals: {
        runs: packages.reduce((n, p) => n + p.runs, 0),
        workspaces: agg?.workspaces ?? 0,
        providerFailures: packages.reduce((n, p) => n + p.providerFailures, 0),
        successWeight: packages.reduce((n, p) => n + p.successWeight, 0),
        failureWeight: packages.reduce((n, p) => n + p.failureWeight, 0),
        n: t.n,
      },
    };
    return { id, t, breakdown };
  });
  await sql.query(
    `INSERT INTO "ProviderStats" AS s ("providerId", "trustScore", "trustLow", "trustHigh", "trustNew", "breakdown", "computedAt")
     SELECT *, $7::timestamp FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::boolean[], $6::jsonb[])
     ON CONFLICT ("providerId") DO UPDATE SET "trustScore" = excluded."trustScore", "trustLow" = excluded."trustLow", "trustHigh" = excluded."trustHigh",
       "trustNew" = excluded."trustNew", "breakdown" = excluded."breakdown", "computedAt" = excluded."computedAt"`,
    [
      providers,
      provided.map((p) => p.t.score),
      provided.map((p) => p.t.low),
      provided.map((p) => p.t.high),
      provided.map((p) => p.t.isNew),
      provided.map((p) => JSON.stringify(p.breakdown)),
      at.toISOString().replace("T", " ").replace("Z", ""),
    ],
  );
  return out.length;
}

/** Trust as the pages and the API show it: `score` null = "new". */
export type TrustView = { score: number | null; low: number; high: number; isNew: boolean; computedAt: string | null };

type TrustColumns = { trustScore: number | null; trustLow: number; trustHigh: number; trustNew: boolean; computedAt: Date };
export const trustSelect = { trustScore: true, trustLow: true, trustHigh: true, trustNew: true, computedAt: true } as const;

/** Not computed yet (a package the job has not seen): new, the widest band. */
export function trustView(s: TrustColumns | null): TrustView {
  if (!s) return { score: null, low: 0, high: 1, isNew: true, computedAt: null };
  return { score: s.trustNew ? null : s.trustScore, low: s.trustLow, high: s.trustHigh, isNew: s.trustNew, computedAt: s.computedAt.toISOString() };
}


/** A provider's trust as last computed (its public profile). */
export async function providerTrust(providerId: string, tx: DbTx = db): Promise<TrustView> {
  return trustView(await tx.providerStats.findUnique({ where: { providerId }, select: trustSelect }));
}

/** GET /api/v1/provider/trust: the signed-in provider's trust and its per-package breakdown (404 for a workspace without a provider profile). */
export async function providerTrustBreakdown(workspaceId: string): Promise<z.infer<typeof providerTrustResponseSchema>> {
  const provider = await workspaceProvider(workspaceId);
  const row = await db.providerStats.findUnique({ where: { providerId: provider.id }, select: { ...trustSelect, breakdown: true } });
  const stored = (row?.breakdown ?? {}) as Partial<ProviderTrustBreakdown>;
  const breakdown: ProviderTrustBreakdown = {
    windowDays: stored.windowDays ?? TRUST_WINDOW_DAYS,
    packages: stored.packages ?? [],
    totals: stored.totals ?? { runs: 0, workspaces: 0, providerFailures: 0, successWeight: 0, failureWeight: 0, n: 0 },
  };
  return { provider: { slug: provider.slug, name: provider.name }, trust: trustView(row), breakdown };
}
export type ProviderTrust = Awaited<ReturnType<typeof providerTrustBreakdown>>;
