import type { DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { acceptedData } from "@/lib/packages/accepts";
import { ensurePlatformProvider } from "@/lib/providers/providers";
import { refreshSearchVectors } from "./search-vector";
import { packageJsonSchemas, type AgentPackageDefinition } from "./define-package";

const selectOf = <T extends object>(data: T) => Object.fromEntries(Object.keys(data).map((k) => [k, true])) as { [K in keyof T]: true };
/** JSON text (bigints as strings), so key order counts: the schemas are stored as json in their property order. */
const jsonText = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/**
 * Upserts each built-in package by (slug, version): a new version adds a row and
 * older rows stay for the runs that used them; the same version is refreshed
 * when its definition changed (counters kept), and left alone otherwise —
 * except what an admin edited (price, model, output limit: `adminEditedAt`),
 * which the code's defaults never overwrite. Every built-in version belongs to
 * the platform's "Agora" provider (created here once). The search document is
 * rebuilt from the stored text.
 */
export async function syncPackages(db: DbTx, packages: AgentPackageDefinition[]): Promise<void> {
  const providerId = await ensurePlatformProvider(db);
  for (const pkg of packages) {
    const schemas = packageJsonSchemas(pkg);
    const data = {
      name: pkg.name,
      summary: pkg.summary,
      description: pkg.description,
      category: pkg.category,
      capabilities: pkg.capabilities,
      model: pkg.model,
      maxOutputTokens: pkg.maxOutputTokens,
      baseFeeMicros: pkg.baseFeeMicros,
      inputSchema: schemas.input as Prisma.InputJsonValue,
      accepts: acceptedData(schemas.input),
      outputSchema: schemas.output as Prisma.InputJsonValue,
      exampleInput: pkg.exampleInput as Prisma.InputJsonValue,
    };
    const existing = await db.agentPackage.findUnique({ where: { slug_version: { slug: pkg.slug, version: pkg.version } }, select: { id: true, adminEditedAt: true, ...selectOf(data) } });
    if (!existing) {
      await db.agentPackage.create({ data: { slug: pkg.slug, version: pkg.version, providerId, ...data } });
      continue;
    }
    const { id, adminEditedAt, ...stored } = existing;
    const wanted = adminEditedAt ? { ...data, model: stored.model, maxOutputTokens: stored.maxOutputTokens, baseFeeMicros: stored.baseFeeMicros } : data;
    if (Object.entries(wanted).some(([k, v]) => jsonText(stored[k as keyof typeof stored]) !== jsonText(v))) await db.agentPackage.update({ where: { id }, data: wanted });
  }
  await refreshSearchVectors(db, packages.map((p) => p.slug));
  // Versions stored before providers existed, and older versions the loop above no longer names.
  await db.agentPackage.updateMany({ where: { slug: { in: packages.map((p) => p.slug) }, ownerWorkspaceId: null, providerId: null }, data: { providerId } });
}
