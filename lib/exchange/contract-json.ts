import type { DbTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { contractJson, type ContractJson } from "./work-json";

// Contracts listed on their own (the provider's contracts, the admin's dispute
// queue): each rendered as in a work (lib/exchange/work-json.ts), their packages
// read in one query.

export const contractInclude = {
  provider: { select: { slug: true, name: true } },
  deliveries: { orderBy: { attempt: "asc" } },
} satisfies Prisma.ContractInclude;
type ContractRow = Prisma.ContractGetPayload<{ include: typeof contractInclude }>;

export async function contractsJson(tx: DbTx, rows: ContractRow[]): Promise<ContractJson[]> {
  const ids = [...new Set(rows.flatMap((c) => (c.packageId ? [c.packageId] : [])))];
  const packages = ids.length ? await tx.agentPackage.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true, version: true } }) : [];
  const byId = new Map(packages.map((p) => [p.id, { slug: p.slug, version: p.version }]));
  return rows.map((c) => contractJson(c, (c.packageId && byId.get(c.packageId)) || null));
}
