import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import * as agentRoute from "@/app/api/v1/agents/[slug]/route";
import * as versionsRoute from "@/app/api/v1/agents/[slug]/versions/route";
import * as trustRoute from "@/app/api/v1/provider/trust/route";
import { countPackageRuns } from "@/lib/agents/package-counts";
import { getDb } from "@/lib/db/client";
import { BACKGROUND_JOBS } from "@/lib/jobs/registry";
import { emptyUsage } from "@/lib/llm/provider";
import { computePackageStats, wilson } from "@/lib/packages/trust";
import { windowStart } from "@/lib/packages/version-stats";
import { finishRun, type RunEnding } from "@/lib/runs/finish-run";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { createProvider, heldRun, thirdPartyPackage } from "../helpers/market";

// Issue 20: the usage rollup (packages.count), per-version stats and trust
// scores (packages.stats), from runs ended through the real finishing statement.

const db = getDb();
const BASE = 100_000n; // a successful run's price here: the base fee (no model usage)
type Pkg = { id: string; slug: string; version: string };
type Outcome = "ok" | "provider" | "consumer_input" | "platform" | "canceled";

/** A buying workspace (made directly: its members play no part here) with credit. */
async function buyer(): Promise<string> {
  const ws = await db.workspace.create({ data: { name: "Buyer", slug: `buyer-${randomUUID().slice(0, 8)}` } });
  await setWallet(ws.id, 1_000_000_000n);
  return ws.id;
}

async function market(label: string) {
  const { provider, owner } = await createProvider(label);
  const pkg = await thirdPartyPackage(provider.id, BASE);
  await setWallet(owner.workspace.id, 1_000_000_000n);
  return { provider, owner, pkg };
}

function ending(outcome: Outcome, eventsMicros?: bigint): RunEnding {
  if (outcome === "ok") return { status: "SUCCEEDED", output: {}, usage: emptyUsage(), ...(eventsMicros ? { billableEventsMicros: eventsMicros } : {}) };
  if (outcome === "canceled") return { status: "CANCELED", error: { code: "canceled", message: "Canceled.", cause: "canceled" }, usage: emptyUsage() };
  return { status: "FAILED", error: { code: "failed", message: "It failed.", cause: outcome }, usage: emptyUsage() };
}

/** Ends one run of `pkg` for `workspaceId`; `durationMs` sets its start that long before its end (null: never started). */
async function run(pkg: Pkg, workspaceId: string, outcome: Outcome, opts: { durationMs?: number | null; eventsMicros?: bigint } = {}) {
  const r = await heldRun(workspaceId, pkg, 10_000_000n);
  if (opts.durationMs !== undefined) await db.run.update({ where: { id: r.id }, data: { startedAt: opts.durationMs === null ? null : new Date(Date.now() - opts.durationMs) } });
  expect(await finishRun(db, r, ending(outcome, opts.eventsMicros), { from: ["RUNNING"] })).toBe(true);
  return r.id;
}

const runs = (pkg: Pkg, workspaceId: string, outcome: Outcome, n: number) => Promise.all(Array.from({ length: n }, () => run(pkg, workspaceId, outcome)));

/** Counts every tally of these packages (another file's job may be counting some at the same moment: SKIP LOCKED). */
async function count(...pkgs: Pkg[]) {
  await vi.waitFor(
    async () => {
      await countPackageRuns(db);
      expect(await db.packageRunTally.count({ where: { packageId: { in: pkgs.map((p) => p.id) } } })).toBe(0);
    },
    { timeout: 30_000, interval: 100 },
  );
}

async function stats(slug: string) {
  await computePackageStats(db);
  return db.packageStats.findUniqueOrThrow({ where: { slug } });
}

async function newVersion(pkg: Pkg & { providerId: string | null }, version: string) {
  return db.agentPackage.create({
    data: {
      slug: pkg.slug, version, name: pkg.slug, summary: "A test package.", description: "", category: "research", capabilities: [], kind: "HOSTED", providerId: pkg.providerId,
      model: "claude-sonnet-5-5", maxOutputTokens: 1_000, baseFeeMicros: BASE, inputSchema: { type: "object" }, outputSchema: { type: "object" }, exampleInput: {}, publishedAt: new Date(),
    },
  });
}

describe("the usage rollup (packages.count)", () => {
  it("is registered with packages.stats, every 10 minutes", () => {
    expect(BACKGROUND_JOBS.find((j) => j.name === "packages.stats")?.cron).toBe("*/10 * * * *");
  });

  it("counts a version's runs by cause, its price and durations, and its histograms give the percentiles; the versions API shows them per version", async () => {
    const { pkg: v1 } = await market("rollup");
    const ws = await buyer();
    const other = await buyer();
    // 1.0.0: every outcome once or more; the failures never started (duration 0).
    await run(v1, ws, "ok", { durationMs: 1_000 });
    await run(v1, ws, "provider", { durationMs: null });
    await run(v1, ws, "consumer_input", { durationMs: null });
    await run(v1, ws, "consumer_input", { durationMs: null });
    await run(v1, ws, "platform", { durationMs: null });
    await run(v1, ws, "canceled", { durationMs: null });
    await run(v1, other, "ok", { durationMs: 1_000 });
    // 1.1.0: five successes at known durations and prices.
    const v11 = await newVersion(v1, "1.1.0");
    const known: [number, bigint][] = [[42_000, 0n], [60_000, 0n], [84_000, 0n], [120_000, 50_000n], [240_000, 150_000n]];
    for (const [durationMs, eventsMicros] of known) await run(v11, ws, "ok", { durationMs, eventsMicros });
    await count(v1, v11);

    const row = await db.packageUsageDaily.findMany({ where: { packageId: v1.id }, orderBy: { runs: "desc" } });
    expect(row).toHaveLength(2);
    expect(row[0]).toMatchObject({ workspaceId: ws, runs: 6, succeeded: 1, failedProvider: 1, failedConsumer: 2, failedPlatform: 1, canceled: 1, priceMicros: BASE });
    expect(row[1]).toMatchObject({ workspaceId: other, runs: 1, succeeded: 1, priceMicros: BASE });
    const [u11] = await db.packageUsageDaily.findMany({ where: { packageId: v11.id } });
    expect(u11).toMatchObject({ runs: 5, succeeded: 5, priceMicros: 5n * BASE + 200_000n });
    expect(Number(u11!.durationMs)).toBeGreaterThanOrEqual(546_000);
    expect(Number(u11!.durationMs)).toBeLessThan(546_000 + 5 * 10_000); // each run's end comes a moment after its set start
    expect((await db.agentPackage.findUniqueOrThrow({ where: { id: v1.id } })).runCount).toBe(7);

    // Histograms (durations chosen far below their bucket's upper bound, whatever the moment between start and end):
    // duration buckets [40960, 57926) = 25, [57926, 81920) = 26, [81920, 115852) = 27, [115852, 163840) = 28, [231705, 327680) = 30;
    // prices 100 000 ×3 in [72408, 102400) = 20, 150 000 in [144815, 204800) = 22, 250 000 in [204800, 289631) = 23.
    const h = await db.packageHistogramDaily.findFirstOrThrow({ where: { packageId: v11.id } });
    const at = (counts: number[]) => Object.fromEntries(counts.flatMap((n, i) => (n ? [[i, n]] : [])));
    expect(at(h.durationBuckets)).toEqual({ 25: 1, 26: 1, 27: 1, 28: 1, 30: 1 });
    expect(at(h.priceBuckets)).toEqual({ 20: 3, 22: 1, 23: 1 });
    const h1 = await db.packageHistogramDaily.findFirstOrThrow({ where: { packageId: v1.id } });
    expect(h1.durationBuckets[0]).toBe(5); // never started: 0 ms
    expect(h1.priceBuckets.reduce((a, b) => a + b, 0)).toBe(2); // successes only

    await db.agentPackage.update({ where: { id: v1.id }, data: { status: "YANKED", yankedAt: new Date(), yankReason: "Use 1.1.0." } });
    const res = await callRoute(versionsRoute.GET, { path: `/api/v1/agents/${v1.slug}/versions`, params: { slug: v1.slug } });
    expect(res.status).toBe(200);
    const body = res.body as unknown as { windowDays: number; versions: { version: string; status: string; yank: { reason: string } | null; stats: Record<string, unknown> }[] };
    expect(body.windowDays).toBe(90);
    expect(body.versions.map((v) => [v.version, v.status])).toEqual([["1.1.0", "PUBLISHED"], ["1.0.0", "YANKED"]]);
    // p50 rank 2.5 of 5 → bucket [81920, 115852) interpolated halfway: 98 886 (true 84 000, within √2);
    // p95 rank 4.75 → 231705 + 95975 × 0.75. Prices: p50 rank 2.5 of the 3 in [72408, 102400) → 97 401; p95 → 204800 + 84831 × 0.75.
    expect(body.versions[0]!.stats).toEqual({
      runs: 5, succeeded: 5, successRate: 1, failures: { provider: 0, consumerInput: 0, platform: 0 }, canceled: 0,
      p50DurationMs: 98_886, p95DurationMs: 303_686, p50PriceMicros: 97_401, p95PriceMicros: 268_423,
    });
    expect(body.versions[1]).toMatchObject({ yank: { reason: "Use 1.1.0." }, stats: { runs: 7, succeeded: 2, failures: { provider: 1, consumerInput: 2, platform: 1 }, canceled: 1 } });
    expect((body.versions[1]!.stats.successRate as number)).toBeCloseTo(2 / 7, 10);

    const missing = await callRoute(versionsRoute.GET, { path: "/api/v1/agents/nope/versions", params: { slug: `nope-${randomUUID().slice(0, 8)}` } });
    expect(missing.status).toBe(404);
    expect(missing.body?.error.code).toBe("not_found");
  });

  it("counts each run once when several count jobs run at the same time", async () => {
    const { pkg } = await market("concurrent");
    const ws = await buyer();
    await Promise.all([runs(pkg, ws, "ok", 12), runs(pkg, ws, "provider", 6)]);
    await Promise.all(Array.from({ length: 4 }, () => countPackageRuns(db, 3)));
    await count(pkg);
    const [u] = await db.packageUsageDaily.findMany({ where: { packageId: pkg.id } });
    expect(u).toMatchObject({ runs: 18, succeeded: 12, failedProvider: 6 });
    const h = await db.packageHistogramDaily.findFirstOrThrow({ where: { packageId: pkg.id } });
    expect(h.durationBuckets.reduce((a, b) => a + b, 0)).toBe(18);
    expect(h.priceBuckets.reduce((a, b) => a + b, 0)).toBe(12);
    expect(await db.agentPackage.findUniqueOrThrow({ where: { id: pkg.id }, select: { runCount: true, successCount: true } })).toEqual({ runCount: 18, successCount: 12 });
  });
});

describe("trust score (packages.stats)", () => {
  it("falls with a provider-caused failure, not with a consumer-input one (exact numbers)", async () => {
    const { pkg, provider, owner } = await market("trust");
    const [a, b] = [await buyer(), await buyer()];
    await Promise.all([runs(pkg, a, "ok", 5), runs(pkg, b, "ok", 5)]);
    // The provider's own runs do not count.
    await runs(pkg, owner.workspace.id, "provider", 3);
    await count(pkg);
    const before = await stats(pkg.slug);
    expect(before).toMatchObject({ trustScore: 1, trustNew: false, runs90: 10, succeeded90: 10, workspaces90: 2, medianPriceMicros: 87_404n });
    expect(before.trustLow).toBeCloseTo(wilson(1, 10).low, 12);
    expect(before.trustLow).toBeCloseTo(0.7225, 4);

    await run(pkg, a, "consumer_input");
    await count(pkg);
    const consumer = await stats(pkg.slug);
    expect(consumer.trustScore).toBe(1);
    expect(consumer.trustLow).toBe(before.trustLow);
    expect(consumer.trustHigh).toBe(before.trustHigh);

    await run(pkg, a, "provider");
    await count(pkg);
    const failed = await stats(pkg.slug);
    // a: 5 successes × 100 000 µ$ against one failure weighing the median successful price
    // (87 404: the middle of the histogram's [72408, 102400) bucket); b: 5/5. n = 6 + 5.
    const rateA = 500_000 / (500_000 + 87_404);
    expect(failed.trustScore).toBeCloseTo((rateA + 1) / 2, 12);
    expect(failed.trustScore).toBeCloseTo(0.92560, 5);
    expect(failed.trustLow).toBeCloseTo(wilson((rateA + 1) / 2, 11).low, 12);
    expect(failed.trustLow).toBeLessThan(before.trustLow);

    // The provider's breakdown.
    const cookie = await sessionCookie(owner.user.id, owner.workspace.id);
    const res = await callRoute(trustRoute.GET, { path: "/api/v1/provider/trust", headers: { cookie } });
    expect(res.status).toBe(200);
    const body = res.body as unknown as { provider: { slug: string }; trust: { score: number; isNew: boolean }; breakdown: { packages: Record<string, unknown>[]; totals: { providerFailures: number; workspaces: number } } };
    expect(body.provider.slug).toBe(provider.slug);
    expect(body.trust.score).toBeCloseTo((rateA + 1) / 2, 12);
    expect(body.breakdown.packages).toEqual([expect.objectContaining({ slug: pkg.slug, runs: 12, workspaces: 2, providerFailures: 1, successWeight: 1_000_000, failureWeight: 87_404 })]);
    expect(body.breakdown.totals).toMatchObject({ providerFailures: 1, workspaces: 2 });
    // A workspace without a provider profile has no breakdown.
    const nobody = await createUser("not-a-provider");
    const none = await callRoute(trustRoute.GET, { path: "/api/v1/provider/trust", headers: { cookie: await sessionCookie(nobody.user.id, nobody.workspace.id) } });
    expect(none.status).toBe(404);
  });

  it("says \"new\" with a wide band for a package with 3 runs", async () => {
    const { pkg } = await market("fresh");
    await runs(pkg, await buyer(), "ok", 3);
    await count(pkg);
    const s = await stats(pkg.slug);
    // Wilson 95 % around 1 with n = 3: [0.4385, 1].
    expect(s).toMatchObject({ trustScore: null, trustNew: true, trustHigh: 1, runs90: 3 });
    expect(s.trustLow).toBeCloseTo(0.4385, 4);
    const res = await callRoute(agentRoute.GET, { path: `/api/v1/agents/${pkg.slug}`, params: { slug: pkg.slug } });
    expect((res.body as unknown as { trust: unknown }).trust).toMatchObject({ score: null, isNew: true, high: 1 });
    expect((res.body as unknown as { trust: { low: number } }).trust.low).toBeCloseTo(0.4385, 4);
  });

  it("gives ten buying workspaces a narrower band than one with the same runs", async () => {
    const [{ pkg: one }, { pkg: ten }] = await Promise.all([market("one"), market("ten")]);
    const single = await buyer();
    const many = await Promise.all(Array.from({ length: 10 }, () => buyer()));
    await Promise.all([runs(one, single, "ok", 20), ...many.map((ws) => runs(ten, ws, "ok", 2))]);
    await count(one, ten);
    await computePackageStats(db);
    const [s1, s10] = await Promise.all([db.packageStats.findUniqueOrThrow({ where: { slug: one.slug } }), db.packageStats.findUniqueOrThrow({ where: { slug: ten.slug } })]);
    // One buyer adds at most 10 to n (and alone it stays "new"): n = 10 vs n = 20.
    expect(s1).toMatchObject({ trustNew: true, trustScore: null, runs90: 20, workspaces90: 1 });
    expect(s10).toMatchObject({ trustNew: false, trustScore: 1, runs90: 20, workspaces90: 10 });
    expect(s1.trustLow).toBeCloseTo(0.7225, 4);
    expect(s10.trustLow).toBeCloseTo(0.8389, 4);
    expect(s10.trustHigh - s10.trustLow).toBeLessThan(s1.trustHigh - s1.trustLow);
  });

  it("halves a day's weight every 30 days, weighs a provider failure at the base fee before any success, and ranks a new package as rising", async () => {
    const { pkg } = await market("decay");
    const [a, b] = [await buyer(), await buyer()];
    const today = new Date(`${windowStart(new Date(), 1)}T00:00:00Z`);
    const monthAgo = new Date(`${windowStart(new Date(), 31)}T00:00:00Z`);
    await db.packageUsageDaily.createMany({
      data: [
        { packageId: pkg.id, workspaceId: a, day: today, runs: 5, succeeded: 5, priceMicros: 500_000n },
        { packageId: pkg.id, workspaceId: b, day: monthAgo, runs: 5, succeeded: 5, priceMicros: 500_000n },
        { packageId: pkg.id, workspaceId: b, day: today, runs: 2, failedProvider: 1, failedConsumer: 1 },
      ],
    });
    const s = await stats(pkg.slug);
    // b: 500 000 µ$ of successes 30 days old weigh 250 000; its failure weighs the base fee
    // (no price histogram: no success counted by the job). n = 5 + 6 = 11, two workspaces.
    const score = (1 + 250_000 / (250_000 + 100_000)) / 2;
    expect(s).toMatchObject({ trustNew: false, runs90: 12, succeeded90: 10, workspaces90: 2 });
    expect(s.trustScore).toBeCloseTo(score, 12);
    expect(s.trustLow).toBeCloseTo(wilson(score, 11).low, 12);
    // First published today, two buying workspaces with a run in the last 14 days.
    expect(s.risingScore).toBeCloseTo(2 * score, 12);
  });

  it("keeps the reviews' rating columns when it rewrites a package's stats", async () => {
    const { pkg } = await market("rated");
    await db.packageStats.create({ data: { slug: pkg.slug, rating: 4.25, ratingCount: 3 } });
    const s = await stats(pkg.slug);
    expect(s).toMatchObject({ rating: 4.25, ratingCount: 3, trustNew: true, runs90: 0 });
  });
});
