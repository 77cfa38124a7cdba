import type { z } from "zod";
import { forgetPublishedPackage } from "@/lib/agents/published-packages";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { Prisma, type AgentPackage, type PackageStatus } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { microsJson } from "@/lib/money/format";
import { validateRemoteVersion } from "@/lib/remote/validate-remote";
import { acceptedData } from "./accepts";
import type { Manifest } from "./manifest";
import type { packageVersionSchema, providerPackagesResponseSchema } from "./schemas";
import { assertCompatibleInput } from "./schema-diff";
import { newestVersionFirst } from "./semver";
import { checkManifest, lockPackageSlug } from "./validate-manifest";

// A provider's package versions (issue 19 item 4): one AgentPackage row per
// slug + version. DRAFT (editable; an edit of a VALIDATED or REJECTED version
// returns it to DRAFT) → VALIDATED → SUBMITTED (immutable from here) → the
// admin's review (lib/packages/reviews.ts) → PUBLISHED → YANKED. Every
// transition is one conditional UPDATE on the status it expects: a stale one
// is a 409, never a lost write. Another provider's version is a 404.

/** REMOTE versions run no model of ours: their `model` column says so (the run path prices no tokens for it). */
export const REMOTE_MODEL = "remote";
const EDITABLE: PackageStatus[] = ["DRAFT", "VALIDATED", "REJECTED"];

/** What the provider sees of a version (the manifest included): packageVersionSchema's type. */
export type PackageVersion = z.infer<typeof packageVersionSchema>;

export function versionJson(p: AgentPackage): PackageVersion {
  const at = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: p.id,
    slug: p.slug,
    version: p.version,
    kind: p.kind,
    status: p.status,
    name: p.name,
    summary: p.summary,
    category: p.category,
    baseFeeMicros: microsJson(p.baseFeeMicros),
    manifest: p.manifest as Manifest | null,
    reviewNote: p.reviewNote,
    suspendedReason: p.suspendedReason,
    yankReason: p.yankReason,
    validatedAt: at(p.validatedAt),
    submittedAt: at(p.submittedAt),
    publishedAt: at(p.publishedAt),
    yankedAt: at(p.yankedAt),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The columns the catalog and the run path read, copied from the manifest. */
function columnsOf(m: Manifest) {
  return {
    kind: m.kind === "hosted" ? ("HOSTED" as const) : ("REMOTE" as const),
    name: m.name,
    summary: m.summary,
    description: m.description,
    category: m.category,
    capabilities: m.capabilities,
    inputSchema: m.inputSchema as Prisma.InputJsonValue,
    accepts: acceptedData(m.inputSchema),
    outputSchema: m.outputSchema as Prisma.InputJsonValue,
    exampleInput: m.exampleInput as Prisma.InputJsonValue,
    baseFeeMicros: BigInt(m.baseFeeMicros),
    model: m.hosted?.model ?? REMOTE_MODEL,
    maxOutputTokens: m.hosted?.maxOutputTokens ?? 0,
    manifest: m as Prisma.InputJsonValue,
    bidPolicy: m.bidPolicy ? (m.bidPolicy as Prisma.InputJsonValue) : Prisma.DbNull,
  };
}

/** The workspace's provider id; a workspace that is not a provider yet is told how to become one. */
export async function providerIdOf(workspaceId: string, tx: DbTx = db): Promise<string> {
  const p = await tx.provider.findUnique({ where: { workspaceId }, select: { id: true } });
  if (!p) throw new ApiError("conflict", "This workspace is not a provider yet: save a provider profile under Provider first.");
  return p.id;
}

/** One of the provider's versions, or a 404 (another provider's version looks like no version). */
async function ownVersion(tx: DbTx, providerId: string, slug: string, version: string): Promise<AgentPackage> {
  const row = await tx.agentPackage.findFirst({ where: { slug, version, providerId } });
  if (!row) throw new ApiError("not_found", `You have no package '${slug}' version ${version}.`);
  return row;
}

/** A conditional transition: `data` applies only while the version is still in one of `from` (else a 409 saying what it is now). */
async function transition(tx: DbTx, row: AgentPackage, from: PackageStatus[], data: Prisma.AgentPackageUpdateManyMutationInput, what: string, unchanged = false): Promise<AgentPackage> {
  // `unchanged`: only the version as `row` read it (validation checked that manifest, outside this transaction).
  const { count } = await tx.agentPackage.updateMany({ where: { id: row.id, status: { in: from }, ...(unchanged ? { updatedAt: row.updatedAt } : {}) }, data });
  if (count === 0) {
    const now = await tx.agentPackage.findUnique({ where: { id: row.id }, select: { status: true } });
    if (now && from.includes(now.status)) throw new ApiError("conflict", `Cannot ${what} ${row.slug} ${row.version}: it was edited meanwhile; ${what} it again.`, { status: now.status });
    throw new ApiError("conflict", `Cannot ${what} ${row.slug} ${row.version}: it is ${now?.status.toLowerCase() ?? "gone"} (only a ${from.map((s) => s.toLowerCase()).join(" or ")} version can be).`, { status: now?.status });
  }
  return tx.agentPackage.findUniqueOrThrow({ where: { id: row.id } });
}

type Actor = Pick<Principal, "userId" | "apiKeyId"> & { workspace: { id: string } };
const audit = (tx: DbTx, actor: Actor, action: string, row: AgentPackage, ip: string | null, metadata: Record<string, string> = {}) =>
  recordAudit({ action, actorUserId: actor.userId, actorApiKeyId: actor.apiKeyId, workspaceId: actor.workspace.id, target: row.id, metadata: { slug: row.slug, version: row.version, ...metadata }, ip }, tx);

/** The provider's packages, each with its versions newest first (GET /api/v1/provider/packages). */
export async function listProviderPackages(workspaceId: string): Promise<z.infer<typeof providerPackagesResponseSchema>["packages"]> {
  const provider = await db.provider.findUnique({ where: { workspaceId }, select: { id: true } });
  if (!provider) return [];
  const rows = await db.agentPackage.findMany({ where: { providerId: provider.id }, orderBy: { slug: "asc" } });
  const bySlug = new Map<string, AgentPackage[]>();
  for (const r of rows) bySlug.set(r.slug, [...(bySlug.get(r.slug) ?? []), r]);
  return [...bySlug].map(([slug, versions]) => {
    const ordered = newestVersionFirst(versions).map(versionJson);
    return { slug, name: ordered[0]!.name, kind: ordered[0]!.kind, versions: ordered, published: ordered.find((v) => v.status === "PUBLISHED")?.version ?? null };
  });
}

/** One of the provider's versions (a workspace that is no provider has none: 404). */
export async function getProviderPackageVersion(workspaceId: string, slug: string, version: string): Promise<PackageVersion> {
  const provider = await db.provider.findUnique({ where: { workspaceId }, select: { id: true } });
  return versionJson(await ownVersion(db, provider?.id ?? "", slug, version));
}

/** A new DRAFT version from a parsed manifest (POST /api/v1/provider/packages). */
export async function createPackageVersion(actor: Actor, m: Manifest, ip: string | null): Promise<PackageVersion> {
  return db.$transaction(async (tx) => {
    const providerId = await providerIdOf(actor.workspace.id, tx);
    await lockPackageSlug(tx, m.slug);
    await checkManifest(tx, m, providerId);
    const row = await tx.agentPackage.create({ data: { slug: m.slug, version: m.version, ...columnsOf(m), status: "DRAFT", providerId, ownerWorkspaceId: actor.workspace.id } });
    await audit(tx, actor, "package.created", row, ip);
    return versionJson(row);
  });
}

/** Replaces an editable version's manifest (same slug and version); it is a DRAFT again. */
export async function updatePackageVersion(actor: Actor, slug: string, version: string, m: Manifest, ip: string | null): Promise<PackageVersion> {
  if (m.slug !== slug || m.version !== version) {
    const path = m.slug !== slug ? "slug" : "version";
    throw new ApiError("validation_failed", `The manifest's ${path} must stay ${path === "slug" ? slug : version}: create a new version instead.`, { issues: [{ path, message: "Cannot change." }] });
  }
  return db.$transaction(async (tx) => {
    const providerId = await providerIdOf(actor.workspace.id, tx);
    await lockPackageSlug(tx, slug);
    const row = await ownVersion(tx, providerId, slug, version);
    await checkManifest(tx, m, providerId, row.id);
    const saved = await transition(tx, row, EDITABLE, { ...columnsOf(m), status: "DRAFT", validatedAt: null, agentCard: Prisma.DbNull }, "edit");
    await audit(tx, actor, "package.updated", saved, ip);
    return versionJson(saved);
  });
}

/** DRAFT → VALIDATED: the manifest's checks again, and a remote version's endpoint and agent card (lib/remote/validate-remote.ts). */
export async function validatePackageVersion(actor: Actor, slug: string, version: string, ip: string | null): Promise<PackageVersion> {
  const providerId = await providerIdOf(actor.workspace.id);
  const row = await ownVersion(db, providerId, slug, version);
  const m = row.manifest as Manifest;
  // The remote check calls the provider's endpoint: outside the transaction, and before anything is written.
  const remote = row.kind === "REMOTE" && row.status === "DRAFT" ? await validateRemoteVersion(providerId, m) : null;
  return db.$transaction(async (tx) => {
    await checkManifest(tx, m, providerId, row.id);
    await assertCompatibleInput(tx, row);
    const saved = await transition(tx, row, ["DRAFT"], { status: "VALIDATED", validatedAt: new Date(), ...(remote ? { agentCard: remote.agentCard } : {}) }, "validate", true);
    await audit(tx, actor, "package.validated", saved, ip);
    return versionJson(saved);
  });
}

/** VALIDATED → SUBMITTED: into the admin review queue; the version cannot change any more. */
export async function submitPackageVersion(actor: Actor, slug: string, version: string, ip: string | null): Promise<PackageVersion> {
  return db.$transaction(async (tx) => {
    const row = await ownVersion(tx, await providerIdOf(actor.workspace.id, tx), slug, version);
    await assertCompatibleInput(tx, row); // a version published since validation may have changed the previous one
    const saved = await transition(tx, row, ["VALIDATED"], { status: "SUBMITTED", submittedAt: new Date(), reviewNote: null }, "submit");
    await audit(tx, actor, "package.submitted", saved, ip);
    return versionJson(saved);
  });
}

/** PUBLISHED → YANKED: runs already accepted finish; new runs use the newest other published version (none: the package leaves the catalog). */
export async function yankPackageVersion(actor: Actor, slug: string, version: string, reason: string, ip: string | null): Promise<PackageVersion> {
  const saved = await db.$transaction(async (tx) => {
    const row = await ownVersion(tx, await providerIdOf(actor.workspace.id, tx), slug, version);
    const yanked = await transition(tx, row, ["PUBLISHED"], { status: "YANKED", yankedAt: new Date(), yankReason: reason }, "yank");
    await audit(tx, actor, "package.yanked", yanked, ip, { reason });
    return yanked;
  });
  await forgetPublishedPackage(slug);
  return versionJson(saved);
}
