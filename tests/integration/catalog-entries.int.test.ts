import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listAgents, listAgentsQuerySchema } from "@/lib/agents/catalog";
import { staticScoreSql } from "@/lib/agents/catalog-rank";
import { refreshWorkspacePackageUse } from "@/lib/agents/recommendations";
import { getDb } from "@/lib/db/client";

// The catalog's entries (issue 20, bench/catalog): one narrow row per listed slug, kept by
// triggers in the transaction that changes a version — whoever changes it — and the stats
// copied from PackageStats when they are written; WorkspacePackageUse made equal to the
// usage rollup's window by the packages.stats job's step.

const db = getDb();

async function version(slug: string, v: string, data: Partial<{ status: "PUBLISHED" | "YANKED" | "SUSPENDED"; baseFeeMicros: bigint; summary: string }> = {}) {
  return db.agentPackage.create({
    data: {
      slug, version: v, name: `Entry ${slug}`, summary: data.summary ?? `Version ${v}.`, description: "", category: "entries", capabilities: ["entry testing"], kind: "HOSTED",
      model: "claude-haiku-4-5", maxOutputTokens: 100, baseFeeMicros: data.baseFeeMicros ?? 1_000n, inputSchema: { type: "object" }, outputSchema: { type: "object" }, exampleInput: {},
      status: data.status ?? "PUBLISHED",
    },
  });
}
const entry = (slug: string) => db.catalogEntry.findUnique({ where: { slug }, select: { packageId: true, summary: true, baseFeeMicros: true, trustScore: true, trustNew: true, runsTotal: true, firstPublishedAt: true } });

describe("catalog entries", () => {
  it("follow the newest published version: publish, a newer version, a yank, a suspension of the last one", async () => {
    const slug = `entry-${randomUUID().slice(0, 8)}`;
    const v1 = await version(slug, "1.0.0");
    expect(await entry(slug)).toMatchObject({ packageId: v1.id, summary: "Version 1.0.0." });
    const v2 = await version(slug, "1.1.0");
    expect((await entry(slug))!.packageId).toBe(v2.id);
    expect((await entry(slug))!.firstPublishedAt).toEqual(v1.createdAt); // the slug's first version's
    await db.agentPackage.update({ where: { id: v2.id }, data: { status: "YANKED" } });
    expect((await entry(slug))!.packageId).toBe(v1.id);
    await db.agentPackage.update({ where: { id: v1.id }, data: { status: "SUSPENDED" } });
    expect(await entry(slug)).toBeNull();
  });

  it("copy the latest row's listed columns when they change (an admin's price, the search document)", async () => {
    const slug = `entry-${randomUUID().slice(0, 8)}`;
    const v1 = await version(slug, "1.0.0");
    await db.agentPackage.update({ where: { id: v1.id }, data: { baseFeeMicros: 7_000n, summary: "Now about invoices." } });
    expect(await entry(slug)).toMatchObject({ baseFeeMicros: 7_000n, summary: "Now about invoices." });
    await db.$executeRaw`UPDATE "AgentPackage" SET "searchVector" = to_tsvector('english', 'zebracorn invoices') WHERE id = ${v1.id}`;
    const found = await listAgents(listAgentsQuerySchema.parse({ q: "zebracorn" }), db);
    expect(found.data.map((a) => a.slug)).toEqual([slug]);
  });

  it("carry PackageStats' trust and popularity from when they are written", async () => {
    const slug = `entry-${randomUUID().slice(0, 8)}`;
    await version(slug, "1.0.0");
    expect(await entry(slug)).toMatchObject({ trustScore: null, trustNew: true, runsTotal: 0 });
    await db.packageStats.create({ data: { slug, trustScore: 0.9, trustNew: false, runsTotal: 12 } });
    expect(await entry(slug)).toMatchObject({ trustScore: 0.9, trustNew: false, runsTotal: 12 });
    await db.packageStats.update({ where: { slug }, data: { runsTotal: 30 } });
    expect((await entry(slug))!.runsTotal).toBe(30);
  });

  it("keep staticScore equal to the ranking's weighted trust and price parts (the generated column and lib/agents/catalog-rank.ts agree)", async () => {
    const slugs = await Promise.all(
      [
        [null, true, null, 1_000n], // new: neutral trust, the cheapest price
        [0.95, false, 20_000n, 50_000n], // a median price wins over the base fee
        [1.7, false, null, 50_000_000n], // clamped: trust at most 1, price at least 0
        [0.2, false, 500n, 9_000n],
      ].map(async ([trustScore, trustNew, medianPriceMicros, fee]) => {
        const slug = `entry-${randomUUID().slice(0, 8)}`;
        await version(slug, "1.0.0", { baseFeeMicros: fee as bigint });
        await db.packageStats.create({ data: { slug, trustScore: trustScore as number | null, trustNew: trustNew as boolean, medianPriceMicros: medianPriceMicros as bigint | null } });
        return slug;
      }),
    );
    const rows = await db.$queryRaw<{ slug: string; stored: number; computed: number }[]>`
      SELECT c.slug, c."staticScore" AS stored, ${staticScoreSql} AS computed FROM "CatalogEntry" c WHERE c.slug = ANY(${slugs})`;
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.stored).toBeCloseTo(r.computed, 12);
    const bySlug = new Map(rows.map((r) => [r.slug, r.stored]));
    expect(bySlug.get(slugs[0]!)).toBeCloseTo(0.3 * 0.5 + 0.1 * 1, 12);
    expect(bySlug.get(slugs[2]!)).toBeCloseTo(0.3 * 1 + 0.1 * 0, 12);
  });

  it("a listing's page is read fresh: a suspended package leaves it at once", async () => {
    const slug = `entry-${randomUUID().slice(0, 8)}`;
    const v1 = await version(slug, "1.0.0");
    const listed = async () => (await listAgents(listAgentsQuerySchema.parse({ category: "entries", sort: "newest", limit: 50 }))).data.map((a) => a.slug);
    expect(await listed()).toContain(slug);
    await db.agentPackage.update({ where: { id: v1.id }, data: { status: "SUSPENDED" } });
    expect(await listed()).not.toContain(slug);
  });
});

describe("workspace package use", () => {
  it("sums a workspace's runs of a slug over versions and the window's days; old days and emptied rows go", async () => {
    const slug = `entry-${randomUUID().slice(0, 8)}`;
    const [v1, v2] = [await version(slug, "1.0.0"), await version(slug, "2.0.0")];
    const ws = `ws-${randomUUID()}`; // the rollup has no foreign key: a synthetic workspace
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000);
    await db.packageUsageDaily.createMany({
      data: [
        { packageId: v1.id, workspaceId: ws, day: day(2), runs: 3, succeeded: 3 },
        { packageId: v2.id, workspaceId: ws, day: day(1), runs: 4, succeeded: 4 },
        { packageId: v2.id, workspaceId: ws, day: day(120), runs: 50, succeeded: 50 }, // outside the 90 days
      ],
    });
    await refreshWorkspacePackageUse(db, new Date());
    expect(await db.workspacePackageUse.findMany({ where: { workspaceId: ws }, select: { slug: true, runs: true } })).toEqual([{ slug, runs: 7 }]);
    await db.packageUsageDaily.deleteMany({ where: { workspaceId: ws, day: { gte: day(3) } } });
    await refreshWorkspacePackageUse(db, new Date());
    expect(await db.workspacePackageUse.count({ where: { workspaceId: ws } })).toBe(0);
  });
});
