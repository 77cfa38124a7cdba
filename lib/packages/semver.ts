import { Prisma } from "@/lib/generated/prisma/client";

// Package versions are semver (lib/packages/manifest.ts): "1.10.0" is newer than
// "1.9.0", and a release newer than its pre-releases ("1.0.0" > "1.0.0-rc.1").
// Pre-releases of one version compare by their text (enough for rc.1 < rc.2).

const parts = (v: string) => {
  const dash = v.indexOf("-");
  const core = (dash === -1 ? v : v.slice(0, dash)).split(".").map(BigInt);
  return { core, pre: dash === -1 ? null : v.slice(dash + 1) };
};

/** < 0 when a is older than b, > 0 when newer, 0 when equal. */
export function compareSemver(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < 3; i++) if (pa.core[i] !== pb.core[i]) return pa.core[i]! < pb.core[i]! ? -1 : 1;
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === null) return 1;
  if (pb.pre === null) return -1;
  return pa.pre < pb.pre ? -1 : 1;
}

/** Newest first. */
export const newestVersionFirst = <T extends { version: string }>(rows: T[]): T[] => [...rows].sort((a, b) => compareSemver(b.version, a.version));

/** The same order in SQL, newest first, for an ORDER BY on "AgentPackage" (numeric: a version's numbers may be larger than an int). */
export const semverDesc = Prisma.sql`string_to_array(split_part(version, '-', 1), '.')::numeric[] DESC, (strpos(version, '-') = 0) DESC, version DESC`;
