import { db } from "@/lib/db/client";

// The newest published version of a slug, as runs are accepted against it. Held
// per process for a few seconds: accepting a run is the hot path, and a package
// that is published or suspended takes effect within PACKAGE_TTL_MS.

const PACKAGE_TTL_MS = 5_000;
const select = { id: true, slug: true, version: true, name: true, model: true, baseFeeMicros: true, maxOutputTokens: true } as const;
type PublishedPackage = { id: string; slug: string; version: string; name: string; model: string; baseFeeMicros: bigint; maxOutputTokens: number };

const cache = new Map<string, { at: number; row: PublishedPackage | null }>();

export async function latestPublishedPackage(slug: string): Promise<PublishedPackage | null> {
  const hit = cache.get(slug);
  if (hit && Date.now() - hit.at < PACKAGE_TTL_MS) return hit.row;
  const row = await db.agentPackage.findFirst({ where: { slug, status: "PUBLISHED" }, orderBy: { createdAt: "desc" }, select });
  if (cache.size > 1_000) cache.clear(); // unknown slugs cannot grow it without bound
  cache.set(slug, { at: Date.now(), row });
  return row;
}

/** Drops a slug from this process's cache (an admin changed it here; other processes follow within PACKAGE_TTL_MS). */
export function forgetPublishedPackage(slug: string): void {
  cache.delete(slug);
}
