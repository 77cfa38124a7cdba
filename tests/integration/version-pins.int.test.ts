import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { forgetPublishedPackage, runnableVersions } from "@/lib/agents/published-packages";
import { getDb } from "@/lib/db/client";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { resolveRunRequest } from "@/lib/runs/accept-run";
import { createHostedPackage, createUser } from "../helpers/factories";

// Issue 20 foundations: the trigger that keeps "isLatest" on the newest published
// version of a slug, whatever changes a row, and runs resolved by pin.

const db = getDb();

async function versions(...list: string[]) {
  const owner = await createUser("pins-provider");
  const slug = `pins-${randomUUID().slice(0, 8)}`;
  const rows = [];
  for (const version of list) rows.push(await createHostedPackage({ providerWorkspace: owner.principal, manifest: { ...structuredClone(EXAMPLE_MANIFEST), slug, version } }));
  return { slug, rows, owner };
}
const latestOf = async (slug: string) => (await db.agentPackage.findMany({ where: { slug, isLatest: true }, select: { version: true } })).map((r) => r.version);
const input = EXAMPLE_MANIFEST.exampleInput;

describe("the latest published version (issue 20)", () => {
  it("is marked by semver on insert, and moves on yank, suspension and deletion", async () => {
    const { slug, rows } = await versions("1.9.0", "1.10.0", "1.2.0");
    expect(await latestOf(slug)).toEqual(["1.10.0"]);
    await db.agentPackage.update({ where: { id: rows[1]!.id }, data: { status: "YANKED", yankedAt: new Date() } });
    expect(await latestOf(slug)).toEqual(["1.9.0"]);
    await db.agentPackage.update({ where: { id: rows[0]!.id }, data: { status: "SUSPENDED" } });
    expect(await latestOf(slug)).toEqual(["1.2.0"]);
    await db.agentPackage.update({ where: { id: rows[1]!.id }, data: { status: "PUBLISHED" } });
    expect(await latestOf(slug)).toEqual(["1.10.0"]);
    await db.agentPackage.updateMany({ where: { slug }, data: { status: "YANKED" } });
    expect(await latestOf(slug)).toEqual([]);
  });

  it("stays one row when versions of a slug are published at once", async () => {
    const { slug, rows } = await versions("1.0.0");
    await db.agentPackage.update({ where: { id: rows[0]!.id }, data: { status: "DRAFT" } });
    const more = await Promise.all(["1.1.0", "1.2.0", "1.3.0", "2.0.0"].map((version) => db.agentPackage.create({ data: { ...rows[0]!, id: undefined, searchVector: undefined, manifest: rows[0]!.manifest ?? undefined, agentCard: undefined, inputSchema: rows[0]!.inputSchema!, outputSchema: rows[0]!.outputSchema!, exampleInput: rows[0]!.exampleInput!, version, status: "DRAFT" } as never })));
    await Promise.all(more.map((r) => db.agentPackage.update({ where: { id: r.id }, data: { status: "PUBLISHED" } })));
    expect(await latestOf(slug)).toEqual(["2.0.0"]);
  });
});

describe("runs resolved by pin (issue 20)", () => {
  it("slug@1 gets the newest 1.x, slug@2 the 2.x, a pin of the workspace or key applies, a yanked exact pin runs with a notice", async () => {
    const { slug, rows } = await versions("1.0.0", "1.1.0", "2.0.0");
    const caller = (pins: Record<string, string> = {}, keyPins: Record<string, string> | null = null) => ({ keyPins, workspace: { packagePins: pins } }) as never;
    expect((await resolveRunRequest({ agent: slug, input })).row.version).toBe("2.0.0");
    expect((await resolveRunRequest({ agent: `${slug}@1`, input })).row.version).toBe("1.1.0");
    expect((await resolveRunRequest({ agent: `${slug}@2`, input })).row.version).toBe("2.0.0");
    expect((await resolveRunRequest({ agent: slug, input }, caller({ [slug]: "1" }))).row.version).toBe("1.1.0");
    expect((await resolveRunRequest({ agent: slug, input }, caller({ [slug]: "1" }, { [slug]: "1.0.0" }))).row.version).toBe("1.0.0");
    expect((await resolveRunRequest({ agent: `${slug}@2`, input }, caller({ [slug]: "1" }))).row.version).toBe("2.0.0");

    await db.agentPackage.update({ where: { id: rows[0]!.id }, data: { status: "YANKED", yankReason: "wrong totals" } });
    await forgetPublishedPackage(slug);
    const yanked = await resolveRunRequest({ agent: `${slug}@1.0.0`, input });
    expect(yanked.row.version).toBe("1.0.0");
    expect(yanked.deprecation?.message).toContain("wrong totals");
    expect((await resolveRunRequest({ agent: `${slug}@1`, input })).deprecation).toBeNull();
    expect((await runnableVersions(slug)).map((v) => v.version)).toEqual(["2.0.0", "1.1.0", "1.0.0"]);

    await expect(resolveRunRequest({ agent: `${slug}@3`, input })).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("matches 3") });
    await expect(resolveRunRequest({ agent: `${slug}@x`, input })).rejects.toMatchObject({ code: "bad_request" });
  });
});
