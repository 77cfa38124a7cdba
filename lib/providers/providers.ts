import { listAgents } from "@/lib/agents/catalog";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { isMultipart, readMultipartForm } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import { env } from "@/lib/env";
import { forgetProviderTerms } from "@/lib/ledger/earnings";
import type { z } from "zod";
import { PLATFORM_PROVIDER, PROVIDER_LOGO_MAX_BYTES, type AdminProviderBody, type ProviderBody, type providerProfileSchema, type publicProviderSchema } from "./schemas";

// Providers (issue 19): a workspace's public publisher profile, one per
// workspace, and the platform's own "Agora" provider of the built-in packages.
// Writes are one transaction with their audit row; a taken slug is a 409 that
// names the field, whichever of two concurrent saves loses.

const profileSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  supportUrl: true,
  supportEmail: true,
  logoUpdatedAt: true,
  verified: true,
  createdAt: true,
  updatedAt: true,
} as const;
type ProfileRow = { id: string; slug: string; name: string; description: string; supportUrl: string | null; supportEmail: string | null; logoUpdatedAt: Date | null; verified: boolean; createdAt: Date; updatedAt: Date };

/** The logo's address changes with the logo, so browsers may cache it. */
export const providerLogoUrl = (slug: string, logoUpdatedAt: Date) => `/api/v1/providers/${slug}/logo?v=${logoUpdatedAt.getTime()}`;

/** A profile on the wire: its schema's type (providerProfileSchema). */
export type ProviderProfile = z.infer<typeof providerProfileSchema>;

function profileJson(p: ProfileRow): ProviderProfile {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    description: p.description,
    supportUrl: p.supportUrl,
    supportEmail: p.supportEmail,
    logoUrl: p.logoUpdatedAt ? providerLogoUrl(p.slug, p.logoUpdatedAt) : null,
    verified: p.verified,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The caller's workspace's provider profile, or null when it is not a provider yet. */
export async function getWorkspaceProvider(workspaceId: string): Promise<ProviderProfile | null> {
  const row = await db.provider.findUnique({ where: { workspaceId }, select: profileSelect });
  return row && profileJson(row);
}

const slugTaken = () => new ApiError("conflict", "Slug: another provider already uses this slug; choose another.", { issues: [{ path: "slug", message: "Already taken." }] });

/** Creates or replaces the workspace's provider profile (a workspace owner: the route's `provider.manage`). */
export async function saveWorkspaceProvider(principal: Principal, body: ProviderBody, ip: string | null): Promise<ProviderProfile> {
  const workspaceId = principal.workspace.id;
  const data = { name: body.name, slug: body.slug, description: body.description ?? "", supportUrl: body.supportUrl ?? null, supportEmail: body.supportEmail ?? null };
  try {
    return await db.$transaction(async (tx) => {
      const owner = await tx.provider.findUnique({ where: { slug: body.slug }, select: { workspaceId: true } });
      if (owner && owner.workspaceId !== workspaceId) throw slugTaken();
      const existing = await tx.provider.findUnique({ where: { workspaceId }, select: { id: true } });
      const row = existing
        ? await tx.provider.update({ where: { id: existing.id }, data, select: profileSelect })
        : await tx.provider.create({ data: { ...data, workspaceId }, select: profileSelect });
      await recordAudit({ action: existing ? "provider.updated" : "provider.created", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: row.id, metadata: data, ip }, tx);
      return profileJson(row);
    });
  } catch (err) {
    // Two saves at once: the one that lost the slug (or made the workspace's second profile) is refused whole.
    if ((err as { code?: string }).code !== "P2002") throw err;
    const owner = await db.provider.findUnique({ where: { slug: body.slug }, select: { workspaceId: true } });
    if (owner && owner.workspaceId !== workspaceId) throw slugTaken();
    throw new ApiError("conflict", "The profile was saved by another request at the same time; reload it and save again.");
  }
}

const LOGO_TYPES: { type: string; matches: (b: Uint8Array) => boolean }[] = [
  { type: "image/png", matches: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v) },
  { type: "image/jpeg", matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/webp", matches: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP" },
];
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** PNG, JPEG or WebP by the file's first bytes (its name and declared type are not trusted), else null. */
export function logoType(bytes: Uint8Array): string | null {
  return LOGO_TYPES.find((t) => t.matches(bytes))?.type ?? null;
}

/** PUT /api/v1/provider/logo: multipart `logo`, PNG/JPEG/WebP by magic bytes, ≤ 256 KB. */
export async function setWorkspaceProviderLogo(principal: Principal, req: Request, ip: string | null): Promise<ProviderProfile> {
  if (!isMultipart(req)) throw new ApiError("unsupported_media_type", "Upload the logo as multipart/form-data with a `logo` field.");
  const form = await readMultipartForm(req, PROVIDER_LOGO_MAX_BYTES);
  const file = form.get("logo");
  if (!(file instanceof File) || file.size === 0) throw new ApiError("validation_failed", "Logo: attach an image file as the `logo` field.", { issues: [{ path: "logo", message: "Required." }] });
  if (file.size > PROVIDER_LOGO_MAX_BYTES) throw new ApiError("payload_too_large", `Logo: the file is larger than ${PROVIDER_LOGO_MAX_BYTES / 1024} KB.`, { limitBytes: PROVIDER_LOGO_MAX_BYTES });
  const logo = new Uint8Array(await file.arrayBuffer());
  const type = logoType(logo);
  if (!type) throw new ApiError("unsupported_media_type", "Logo: use a PNG, JPEG or WebP image.", { issues: [{ path: "logo", message: "Not a PNG, JPEG or WebP image." }] });

  const workspaceId = principal.workspace.id;
  return db.$transaction(async (tx) => {
    const existing = await tx.provider.findUnique({ where: { workspaceId }, select: { id: true } });
    if (!existing) throw new ApiError("conflict", "Save your provider profile before uploading a logo.");
    const row = await tx.provider.update({ where: { id: existing.id }, data: { logo, logoType: type, logoUpdatedAt: new Date() }, select: profileSelect });
    await recordAudit({ action: "provider.logo_updated", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: row.id, metadata: { type, bytes: logo.byteLength }, ip }, tx);
    return profileJson(row);
  });
}

/** A provider's logo bytes and type, for GET /api/v1/providers/:slug/logo. */
export async function providerLogo(slug: string): Promise<{ bytes: Uint8Array; type: string; updatedAt: Date }> {
  const row = await db.provider.findUnique({ where: { slug }, select: { logo: true, logoType: true, logoUpdatedAt: true } });
  if (!row?.logo || !row.logoType || !row.logoUpdatedAt) throw new ApiError("not_found", "This provider has no logo.");
  return { bytes: row.logo, type: row.logoType, updatedAt: row.logoUpdatedAt };
}

/** The public page's data: the profile and its published packages as the catalog shows them (GET /api/v1/providers/:slug). */
export async function getPublicProvider(slug: string): Promise<z.infer<typeof publicProviderSchema>> {
  const row = await db.provider.findUnique({ where: { slug }, select: profileSelect });
  if (!row) throw new ApiError("not_found", `No provider '${slug}'.`);
  const { data: packages } = await listAgents({ provider: slug, sort: "popular", limit: 50 });
  return { ...profileJson(row), packages };
}
export type PublicProvider = Awaited<ReturnType<typeof getPublicProvider>>;

/**
 * The platform's "Agora" provider, created verified once (an admin's later
 * change stays); the package sync links the built-in packages to it.
 */
export async function ensurePlatformProvider(tx: DbTx): Promise<string> {
  const { id } = await tx.provider.upsert({ where: { slug: PLATFORM_PROVIDER.slug }, create: { ...PLATFORM_PROVIDER, verified: true }, update: {}, select: { id: true } });
  return id;
}

/** The admin console's list: every provider with its workspace and package count. */
export async function listProvidersAdmin() {
  const rows = await db.provider.findMany({ orderBy: { createdAt: "asc" }, select: { ...profileSelect, platformFeeBps: true, workspace: { select: { id: true, name: true } }, _count: { select: { packages: true } } } });
  const defaultFeeBps = env().AGORA_PLATFORM_FEE_BPS;
  return rows.map(({ workspace, _count, platformFeeBps, ...p }) => ({ ...profileJson(p), workspace, packageVersions: _count.packages, platformFeeBps, effectiveFeeBps: platformFeeBps ?? defaultFeeBps }));
}

/**
 * An admin sets or clears a provider's verified badge and/or its platform fee (null: the default), each change
 * audit-logged with before/after; a fee change reaches runs settled from then on (the cached terms are dropped).
 */
export async function adminUpdateProvider(admin: Extract<Principal, { kind: "user" }>, id: string, body: AdminProviderBody, ip: string | null) {
  await db.$transaction(async (tx) => {
    const before = await tx.provider.findUnique({ where: { id }, select: { slug: true, verified: true, platformFeeBps: true, workspaceId: true } });
    if (!before) throw new ApiError("not_found", "No such provider.");
    await tx.provider.update({ where: { id }, data: body });
    const audit = (action: string, was: object, changes: object) => recordAudit({ action, actorUserId: admin.userId, workspaceId: before.workspaceId, target: id, metadata: { slug: before.slug, before: was, changes }, ip }, tx);
    if (body.verified !== undefined) await audit("admin.provider.verified", { verified: before.verified }, { verified: body.verified });
    if (body.platformFeeBps !== undefined) await audit("admin.provider.fee", { platformFeeBps: before.platformFeeBps }, { platformFeeBps: body.platformFeeBps });
  });
  if (body.platformFeeBps !== undefined) await forgetProviderTerms(id);
  return (await listProvidersAdmin()).find((p) => p.id === id)!;
}
