import { runnableVersions } from "@/lib/agents/published-packages";
import { recordAudit } from "@/lib/audit/record-audit";
import { forgetPrincipals, type PackagePins, type Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import type { RunFormVersions, VersionChoice } from "./pin-schemas";
import { newestVersionFirst } from "./semver";
import { pickVersion } from "./version-range";

// Version pins (issue 20 item 1): a workspace (Workspace.packagePins) or an API key
// (ApiKey.packagePins) pins package slugs to version ranges ("1", "1.4", "1.4.2"). A
// run request's own `slug@range` wins, then the key's pin, then the workspace's, then
// the newest published version (lib/runs/accept-run.ts resolveRunPackage). A set of pins
// is replaced as a whole; each pin must name a package and a range holding at least one
// runnable (published or yanked) version. Principals carry the pins and API-key ones are
// cached: a change calls forgetPrincipals after its commit.

/**
 * Refuses (400 naming the slug and range) a pin whose package does not exist or whose range holds no
 * published or yanked version. One query for all the pins.
 */
export async function assertPinsResolve(pins: PackagePins, tx: DbTx = db): Promise<void> {
  const slugs = Object.keys(pins);
  if (!slugs.length) return;
  const rows = await tx.agentPackage.findMany({ where: { slug: { in: slugs }, status: { in: ["PUBLISHED", "YANKED"] } }, select: { slug: true, version: true, status: true } });
  const problems: { path: string; message: string }[] = [];
  for (const [slug, range] of Object.entries(pins)) {
    const versions = newestVersionFirst(rows.filter((r) => r.slug === slug));
    if (!versions.length) problems.push({ path: slug, message: `Pin ${slug}@${range}: there is no published package '${slug}'.` });
    else if (!pickVersion(versions, range)) {
      const known = versions.slice(0, 5).map((v) => v.version).join(", ");
      problems.push({ path: slug, message: `Pin ${slug}@${range}: ${slug} has no version ${range}${range.split(".").length < 3 ? ".x" : ""} (it has ${known}${versions.length > 5 ? ", …" : ""}).` });
    }
  }
  if (problems.length) throw new ApiError("validation_failed", problems.slice(0, 3).map((p) => p.message).join(" "), { issues: problems.map((p) => ({ path: `pins.${p.path}`, message: p.message })) });
}

export type ResolvedPin = { slug: string; range: string; version: string | null; status: string | null; yankReason: string | null };

/** What each pin currently resolves to (null: nothing in its range runs any more), by slug. */
export async function resolvePins(pins: PackagePins): Promise<ResolvedPin[]> {
  return Promise.all(
    Object.entries(pins)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([slug, range]) => {
        const row = pickVersion(await runnableVersions(slug), range);
        return { slug, range, version: row?.version ?? null, status: row?.status ?? null, yankReason: row?.yankReason ?? null };
      }),
  );
}

/** A pins column as stored (Json): `{}` for anything else. */
export const readPins = (v: unknown): PackagePins => (v && typeof v === "object" && !Array.isArray(v) ? (v as PackagePins) : {});

/** GET /api/v1/workspace/pins: the workspace's pins and what each resolves to now. */
export async function getWorkspacePins(principal: Principal) {
  const w = await db.workspace.findUniqueOrThrow({ where: { id: principal.workspace.id }, select: { packagePins: true } });
  const pins = readPins(w.packagePins);
  return { pins, resolved: await resolvePins(pins) };
}

/** PUT /api/v1/workspace/pins: replaces the workspace's pins (owners); audit-logged. */
export async function setWorkspacePins(principal: Principal, pins: PackagePins, ip: string | null) {
  await db.$transaction(async (tx) => {
    await assertPinsResolve(pins, tx);
    const before = await tx.workspace.findUniqueOrThrow({ where: { id: principal.workspace.id }, select: { packagePins: true } });
    await tx.workspace.update({ where: { id: principal.workspace.id }, data: { packagePins: pins } });
    await recordAudit({ action: "workspace.pins_changed", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId: principal.workspace.id, metadata: { before: readPins(before.packagePins), after: pins }, ip }, tx);
  });
  await forgetPrincipals({ workspaceId: principal.workspace.id });
  return { pins, resolved: await resolvePins(pins) };
}

/** A package's runnable versions (published and yanked), newest first: the pin editors' and the run form's choices. */
export async function packageVersionChoices(slug: string): Promise<VersionChoice[]> {
  return (await runnableVersions(slug)).map((v) => ({ version: v.version, status: v.status, yankReason: v.yankReason }));
}

/** The run form's version choice for a caller: the workspace's pin (and what it runs now), the latest published, every runnable version. */
export async function runFormVersions(slug: string, pins: PackagePins): Promise<RunFormVersions> {
  const versions = await runnableVersions(slug);
  const range = pins[slug] ?? null;
  return {
    pin: range ? { range, version: pickVersion(versions, range)?.version ?? null } : null,
    latest: pickVersion(versions, null)?.version ?? null,
    versions: await packageVersionChoices(slug),
  };
}
