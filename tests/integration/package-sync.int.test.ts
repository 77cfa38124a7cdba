import { describe, expect, it } from "vitest";
import type { AgentPackageDefinition } from "@/lib/agents/define-package";
import { securityScanner } from "@/lib/agents/security-scanner/package";
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
});
