import { sharedCaches, type CacheGroup } from "@/lib/cache/shared-cache";
import { db } from "@/lib/db/client";
import { packageRowSelect, type PackageRow } from "@/lib/packages/package-definition";
import { newestVersionFirst } from "@/lib/packages/semver";

// The newest published version of a slug (by semver), as runs are accepted against it, cached
// per process (lib/cache/shared-cache.ts; an unknown slug too): whoever publishes,
// edits or suspends a package calls forgetPublishedPackage after the commit.

const PACKAGES = { ttlMs: 60_000, maxEntries: 1_000 };
// `kind` and `manifest` (null for a built-in): the run path's definition of the version (lib/packages/package-definition.ts);
// `providerId`: whose share a third-party run settles (lib/ledger/earnings.ts).
const select = { ...packageRowSelect, name: true, providerId: true } as const;
type PublishedPackage = PackageRow & { name: string; providerId: string | null };

const packageCache = (caches: CacheGroup) => caches.cache<PublishedPackage | null>("published-package", PACKAGES);

/** `caches`: another process's, in tests. */
export function latestPublishedPackage(slug: string, caches: CacheGroup = sharedCaches()): Promise<PublishedPackage | null> {
  return packageCache(caches).get(slug, async () => newestVersionFirst(await db.agentPackage.findMany({ where: { slug, status: "PUBLISHED" }, select }))[0] ?? null);
}

/** Drops a slug's cached package in every process (call after the change committed). */
export function forgetPublishedPackage(slug: string): Promise<void> {
  return packageCache(sharedCaches()).invalidate({ keys: [slug] });
}
