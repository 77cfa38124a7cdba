import type { DbTx } from "@/lib/db/client";

/** Rebuilds the full-text document of these slugs' versions from their stored text (name A, capabilities A, category and summary B, description C). */
export async function refreshSearchVectors(db: DbTx, slugs: string[]): Promise<void> {
  await db.$executeRaw`
    UPDATE "AgentPackage" SET "searchVector" =
      setweight(to_tsvector('english', name), 'A') ||
      setweight(to_tsvector('english', array_to_string(capabilities, ' ')), 'A') ||
      setweight(to_tsvector('english', category), 'B') ||
      setweight(to_tsvector('english', summary), 'B') ||
      setweight(to_tsvector('english', description), 'C')
    WHERE slug = ANY(${slugs})`;
}
