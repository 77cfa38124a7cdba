import { describe, expect, it } from "vitest";
import { getAgent } from "@/lib/agents/catalog";
import { packageJsonSchemas, type AgentPackageDefinition } from "@/lib/agents/define-package";
import { builtInPackages } from "@/lib/agents/registry";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { ticketResolver } from "@/lib/agents/ticket-resolver/package";
import { syncPackages } from "@/lib/agents/sync-packages";
import { getDb } from "@/lib/db/client";

// Built-in packages sync at start-up, keyed by (slug, version), keeping history.
// Runs inside a transaction that is rolled back, so other test files never see the probe rows.

const variant = (version: string, summary: string) => ({ ...securityScanner, slug: "sync-probe", version, summary }) as unknown as AgentPackageDefinition;
class Rollback extends Error {}

describe("package sync", () => {
  it("adds a row per new version, refreshes a changed version in place keeping its counters, and rebuilds the search text", async () => {
    const done = getDb().$transaction(
      async (tx) => {
        await syncPackages(tx, [variant("1.0.0", "First summary about kumquats.")]);
        const v1 = await tx.agentPackage.update({ where: { slug_version: { slug: "sync-probe", version: "1.0.0" } }, data: { runCount: 7, successCount: 6 } });

        await syncPackages(tx, [variant("1.0.0", "First summary about kumquats.")]);
        expect((await tx.agentPackage.findUniqueOrThrow({ where: { id: v1.id } })).updatedAt).toEqual(v1.updatedAt); // unchanged: untouched

        await syncPackages(tx, [variant("1.0.0", "Revised summary about persimmons.")]);
        const refreshed = await tx.agentPackage.findUniqueOrThrow({ where: { id: v1.id } });
        expect(refreshed.summary).toBe("Revised summary about persimmons.");
        expect([refreshed.runCount, refreshed.successCount]).toEqual([7, 6]);

        await syncPackages(tx, [variant("1.1.0", "Second version.")]);
        const versions = await tx.agentPackage.findMany({ where: { slug: "sync-probe" }, orderBy: { version: "asc" }, select: { version: true } });
        expect(versions.map((v) => v.version)).toEqual(["1.0.0", "1.1.0"]);

        const hits = await tx.$queryRaw<{ version: string }[]>`SELECT version FROM "AgentPackage" WHERE slug = 'sync-probe' AND "searchVector" @@ to_tsquery('english', 'persimmon:*')`;
        expect(hits.map((h) => h.version)).toEqual(["1.0.0"]);
        throw new Rollback();
      },
      { timeout: 20_000 },
    );
    await expect(done).rejects.toBeInstanceOf(Rollback);
    expect(await getDb().agentPackage.count({ where: { slug: "sync-probe" } })).toBe(0);
  });

  it("keeps each agent's input schema in its property order (the run form's field order), not jsonb's shortest-key-first order", async () => {
    for (const pkg of builtInPackages) {
      const stored = (await getAgent(pkg.slug)).inputSchema as { properties: Record<string, unknown> };
      const declared = packageJsonSchemas(pkg).input as { properties: Record<string, unknown> };
      expect(Object.keys(stored.properties), pkg.slug).toEqual(Object.keys(declared.properties));
      expect(JSON.stringify(stored), pkg.slug).toBe(JSON.stringify(declared));
    }
  });

  it("rewrites a row whose stored documents have the right content in another key order (rows written while the columns were jsonb)", async () => {
    const probe = { ...ticketResolver, slug: "order-probe" } as unknown as AgentPackageDefinition;
    const done = getDb().$transaction(
      async (tx) => {
        await syncPackages(tx, [probe]);
        await tx.$executeRaw`UPDATE "AgentPackage" SET "inputSchema" = "inputSchema"::jsonb::json WHERE slug = 'order-probe'`;
        const reordered = await tx.agentPackage.findFirstOrThrow({ where: { slug: "order-probe" }, select: { inputSchema: true } });
        expect(Object.keys((reordered.inputSchema as { properties: object }).properties)).toEqual(["body", "subject", "customer"]);

        await syncPackages(tx, [probe]);
        const synced = await tx.agentPackage.findFirstOrThrow({ where: { slug: "order-probe" }, select: { inputSchema: true } });
        expect(Object.keys((synced.inputSchema as { properties: object }).properties)).toEqual(["subject", "body", "customer"]);
        throw new Rollback();
      },
      { timeout: 20_000 },
    );
    await expect(done).rejects.toBeInstanceOf(Rollback);
  });
});
