import { db } from "@/lib/db/client";
import { remoteSection, type RemoteSection } from "@/lib/packages/manifest";

// A REMOTE package version as running it needs it: its provider, the remote
// section of its manifest, its schemas and the agent card snapshot. Versions are
// immutable once published, so each is read once per process.

export type RemoteVersion = { id: string; providerId: string; remote: RemoteSection; inputSchema: unknown; outputSchema: unknown; agentCard: unknown };

const MAX_CACHED = 1_000;
const versions = new Map<string, Promise<RemoteVersion | null>>();

async function load(packageId: string): Promise<RemoteVersion | null> {
  const row = await db.agentPackage.findFirst({
    where: { id: packageId, kind: "REMOTE" },
    select: { id: true, providerId: true, manifest: true, inputSchema: true, outputSchema: true, agentCard: true },
  });
  if (!row?.providerId || !row.agentCard) return null;
  const remote = remoteSection.parse((row.manifest as { remote?: unknown } | null)?.remote);
  return { id: row.id, providerId: row.providerId, remote, inputSchema: row.inputSchema, outputSchema: row.outputSchema, agentCard: row.agentCard };
}

/** The REMOTE version with this id, or null (another kind, or not validated). */
export function remoteVersion(packageId: string): Promise<RemoteVersion | null> {
  let v = versions.get(packageId);
  if (!v) {
    if (versions.size >= MAX_CACHED) versions.delete(versions.keys().next().value!);
    v = load(packageId);
    v.catch(() => versions.delete(packageId));
    versions.set(packageId, v);
  }
  return v;
}

/** The most a run's billable events can cost: Σ price × maxPerRun (what its hold covers beyond the base fee). */
export const maxEventsMicros = (remote: RemoteSection) => remote.billableEvents.reduce((sum, e) => sum + BigInt(e.priceMicros) * BigInt(e.maxPerRun), 0n);
