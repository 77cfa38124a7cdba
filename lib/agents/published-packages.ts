import { sharedCaches, type CacheGroup } from "@/lib/cache/shared-cache";
import { db } from "@/lib/db/client";
import { packageRowSelect, type PackageRow } from "@/lib/packages/package-definition";
import { newestVersionFirst } from "@/lib/packages/semver";
import { pickVersion } from "@/lib/packages/version-range";

// A slug's runnable versions (PUBLISHED, and YANKED ones for callers pinned to them), newest
// first by semver, as runs are accepted against them, cached per process
// (lib/cache/shared-cache.ts; an unknown slug too): whoever publishes, yanks, edits or
// suspends a package calls forgetPublishedPackage after the commit.

const PACKAGES = { ttlMs: 60_000, maxEntries: 1_000 };
// `kind` and `manifest` (null for a built-in): the run path's definition of the version (lib/packages/package-definition.ts);
// `providerId`: whose share a third-party run settles (lib/ledger/earnings.ts); `status`, `yankReason`: a pinned caller's deprecation notice.
const select = { ...packageRowSelect, name: true, providerId: true, status: true, yankReason: true } as const;
export type PublishedPackage = PackageRow & { name: string; providerId: string | null; status: string; yankReason: string | null };

const packageCache = (caches: CacheGroup) => caches.cache<PublishedPackage[]>("runnable-versions", PACKAGES);

/** The slug's PUBLISHED and YANKED versions, newest first (`caches`: another process's, in tests). */
export function runnableVersions(slug: string, caches: CacheGroup = sharedCaches()): Promise<PublishedPackage[]> {
  return packageCache(caches).get(slug, async () => newestVersionFirst(await db.agentPackage.findMany({ where: { slug, status: { in: ["PUBLISHED", "YANKED"] } }, select })));
}

/** The version a run of `slug` within `range` gets (lib/packages/version-range.ts; null range = the newest published). */
export async function resolvePackage(slug: string, range: string | null, caches: CacheGroup = sharedCaches()): Promise<PublishedPackage | null> {
  return pickVersion(await runnableVersions(slug, caches), range);
}

/** The newest published version of a slug. */
export const latestPublishedPackage = (slug: string, caches: CacheGroup = sharedCaches()) => resolvePackage(slug, null, caches);

/** Drops a slug's cached versions in every process (call after the change committed). */
export function forgetPublishedPackage(slug: string): Promise<void> {
  return packageCache(sharedCaches()).invalidate({ keys: [slug] });
}
