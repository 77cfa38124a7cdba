import type { DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { packageJsonSchemas, type AgentPackageDefinition } from "./define-package";

/**
 * Upserts each built-in package by (slug, version): a new version adds a row and
 * older rows stay for the runs that used them; the same version is refreshed
 * (counters kept). The search document is rebuilt for the rows written.
 */
export async function syncPackages(db: DbTx, packages: AgentPackageDefinition[]): Promise<void> {
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
      outputSchema: schemas.output as Prisma.InputJsonValue,
      exampleInput: pkg.exampleInput as Prisma.InputJsonValue,
    };
    await db.agentPackage.upsert({
      where: { slug_version: { slug: pkg.slug, version: pkg.version } },
      create: { slug: pkg.slug, version: pkg.version, ...data },
      update: data,
    });
  }
  await db.$executeRaw`
    UPDATE "AgentPackage" SET "searchVector" =
      setweight(to_tsvector('english', name), 'A') ||
      setweight(to_tsvector('english', array_to_string(capabilities, ' ')), 'A') ||
      setweight(to_tsvector('english', category), 'B') ||
      setweight(to_tsvector('english', summary), 'B') ||
      setweight(to_tsvector('english', description), 'C')
    WHERE slug = ANY(${packages.map((p) => p.slug)})`;
}
