import { sharedCaches, type CacheGroup } from "@/lib/cache/shared-cache";
import { db } from "@/lib/db/client";
import { newestVersionFirst } from "@/lib/packages/semver";

// The newest published version of a slug (by semver), as runs are accepted against it, cached
// per process (lib/cache/shared-cache.ts; an unknown slug too): whoever publishes,
// edits or suspends a package calls forgetPublishedPackage after the commit.

const PACKAGES = { ttlMs: 60_000, maxEntries: 1_000 };
const select = { id: true, slug: true, version: true, name: true, model: true, baseFeeMicros: true, maxOutputTokens: true } as const;
type PublishedPackage = { id: string; slug: string; version: string; name: string; model: string; baseFeeMicros: bigint; maxOutputTokens: number };

const packageCache = (caches: CacheGroup) => caches.cache<PublishedPackage | null>("published-package", PACKAGES);

/** `caches`: another process's, in tests. */
export function latestPublishedPackage(slug: string, caches: CacheGroup = sharedCaches()): Promise<PublishedPackage | null> {
  return packageCache(caches).get(slug, async () => newestVersionFirst(await db.agentPackage.findMany({ where: { slug, status: "PUBLISHED" }, select }))[0] ?? null);
}

/** Drops a slug's cached package in every process (call after the change committed). */
export function forgetPublishedPackage(slug: string): Promise<void> {
  return packageCache(sharedCaches()).invalidate({ keys: [slug] });
}
