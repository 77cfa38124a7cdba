import type { AgentPackageDefinition } from "@/lib/agents/define-package";
import { packageDefinition } from "@/lib/agents/registry";
import type { DbTx } from "@/lib/db/client";
import type { PackageKind } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/observability/log";
import { hostedDefinition, knownHostedDefinition, type HostedPackageRow } from "./hosted/definition";

// What runs a package version: a built-in's code (lib/agents/registry.ts) or a
// hosted manifest's definition (lib/packages/hosted/definition.ts). Built-in
// runs resolve as before, from code, with no extra read.

export type PackageRow = HostedPackageRow & { kind: PackageKind };

/** The definition of a package row (undefined: a kind or version this server cannot run). */
export function definitionFor(row: PackageRow): AgentPackageDefinition | undefined {
  if (row.kind === "BUILTIN") return packageDefinition(row.slug, row.version);
  if (row.kind !== "HOSTED") return undefined;
  try {
    return hostedDefinition(row);
  } catch (err) {
    // Publishing checked the manifest; one that no longer reads (a later, stricter schema) makes the version unavailable, not a 500.
    log.error("a hosted package version cannot be run", { packageId: row.id, err });
    return undefined;
  }
}

/** The columns `definitionFor` reads. */
export const packageRowSelect = { id: true, slug: true, version: true, kind: true, manifest: true, model: true, maxOutputTokens: true, baseFeeMicros: true } as const;

// Versions with no definition here (REMOTE ones): a version's kind never changes, so each is read once per process.
const withoutDefinition = new Set<string>();

/** The definition of a run's package version: code, or a hosted definition (read once per process and version). */
export async function runDefinition(db: DbTx, run: { agentSlug: string; packageVersion: string; packageId: string }): Promise<AgentPackageDefinition | undefined> {
  const known = packageDefinition(run.agentSlug, run.packageVersion) ?? knownHostedDefinition(run.packageId);
  if (known || withoutDefinition.has(run.packageId)) return known;
  const row = await db.agentPackage.findUnique({ where: { id: run.packageId }, select: packageRowSelect });
  const definition = row ? definitionFor(row) : undefined;
  if (row && !definition) {
    if (withoutDefinition.size >= 1_000) withoutDefinition.clear();
    withoutDefinition.add(run.packageId);
  }
  return definition;
}
