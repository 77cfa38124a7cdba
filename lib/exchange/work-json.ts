import type { z } from "zod";
import type { DbTx } from "@/lib/db/client";
import type { Bid, Delivery, Prisma } from "@/lib/generated/prisma/client";
import { microsJson } from "@/lib/money/format";
import type { Acceptance } from "./acceptance";
import type { BidRank } from "./evaluation";
import type { bidJsonSchema, contractJsonSchema, deliveryJsonSchema, workJsonSchema } from "./work-json-schemas";

// The exchange's JSON (issue 21): a work, its bids, its contract and deliveries,
// as every /api/v1/work… route and page renders them. Money as numbers of micro-USD.
// Each shape is its wire schema's type (work-json-schemas.ts): the two cannot drift apart.

const at = (d: Date | null) => d?.toISOString() ?? null;

/** What a work is read with to render it. */
export const workInclude = {
  contract: { include: { provider: { select: { slug: true, name: true } }, deliveries: { orderBy: { attempt: "asc" } } } },
  _count: { select: { bids: { where: { status: { not: "WITHDRAWN" } } } } },
} satisfies Prisma.WorkInclude;
export type WorkRow = Prisma.WorkGetPayload<{ include: typeof workInclude }>;

/** What a bid is read with to render (and rank) it. */
export const bidInclude = {
  provider: { select: { slug: true, name: true, verified: true } },
  package: { select: { slug: true, version: true, name: true, capabilities: true, outputSchema: true } },
} satisfies Prisma.BidInclude;
export type BidRow = Prisma.BidGetPayload<{ include: typeof bidInclude }>;

export type DeliveryCheck = { name: string; passed: boolean; message: string };
export type DeliveryJson = z.infer<typeof deliveryJsonSchema>;

export function deliveryJson(d: Delivery): DeliveryJson {
  return { id: d.id, attempt: d.attempt, runId: d.runId, verdict: d.verdict, checks: (d.checks ?? []) as DeliveryCheck[], output: d.output ?? null, createdAt: d.createdAt.toISOString(), checkedAt: at(d.checkedAt) };
}

type ContractRow = NonNullable<WorkRow["contract"]>;
type PackageRef = { slug: string; version: string };

export type ContractJson = z.infer<typeof contractJsonSchema>;

export function contractJson(c: ContractRow, pkg: PackageRef | null): ContractJson {
  return {
    id: c.id,
    bidId: c.bidId,
    provider: c.provider,
    package: pkg,
    priceMicros: microsJson(c.priceMicros),
    feeBps: c.feeBps,
    deliveryDeadline: c.deliveryDeadline.toISOString(),
    attempts: c.attempts,
    passedAt: at(c.passedAt),
    autoAcceptAt: at(c.autoAcceptAt),
    disputedAt: at(c.disputedAt),
    disputeReason: c.disputeReason,
    outcome: c.outcome,
    refundMicros: c.refundMicros === null ? null : microsJson(c.refundMicros),
    resolutionReason: c.resolutionReason,
    settledAt: at(c.settledAt),
    deliveries: c.deliveries.map(deliveryJson),
  };
}

export type WorkJson = z.infer<typeof workJsonSchema>;

export function workJson(w: WorkRow, viewerWorkspaceId: string, contractPackage: PackageRef | null = null): WorkJson {
  return {
    id: w.id,
    title: w.title,
    description: w.description,
    status: w.status,
    budgetMicros: microsJson(w.budgetMicros),
    capabilities: w.capabilities,
    visibility: w.visibility,
    autoAward: w.autoAward,
    bidDeadline: w.bidDeadline.toISOString(),
    deliveryDeadline: w.deliveryDeadline.toISOString(),
    createdAt: w.createdAt.toISOString(),
    acceptance: w.acceptance as Acceptance, // compiled when posted (compileAcceptance)
    input: w.input,
    documentIds: w.documentIds,
    bidCount: w._count.bids,
    mine: w.workspaceId === viewerWorkspaceId,
    contract: w.contract ? contractJson(w.contract, contractPackage) : null,
  };
}

/** Works rendered for `viewerWorkspaceId`, their contracts' packages read in one query. */
export async function worksJson(db: DbTx, rows: WorkRow[], viewerWorkspaceId: string): Promise<WorkJson[]> {
  const ids = rows.flatMap((w) => (w.contract?.packageId ? [w.contract.packageId] : []));
  const packages = ids.length ? await db.agentPackage.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true, version: true } }) : [];
  const byId = new Map(packages.map((p) => [p.id, { slug: p.slug, version: p.version }]));
  return rows.map((w) => workJson(w, viewerWorkspaceId, (w.contract?.packageId && byId.get(w.contract.packageId)) || null));
}

/** One work as `viewerWorkspaceId` sees it (the row read again, with what it renders). */
export async function readWorkJson(db: DbTx, workId: string, viewerWorkspaceId: string): Promise<WorkJson> {
  const row = await db.work.findUniqueOrThrow({ where: { id: workId }, include: workInclude });
  return (await worksJson(db, [row], viewerWorkspaceId))[0]!;
}

export type BidJson = z.infer<typeof bidJsonSchema>;

export function bidJson(b: Bid & Pick<BidRow, "provider" | "package">, rank?: BidRank): BidJson {
  return {
    id: b.id,
    workId: b.workId,
    provider: b.provider,
    package: b.package ? { slug: b.package.slug, version: b.package.version, name: b.package.name } : null,
    auto: b.auto,
    priceMicros: microsJson(b.priceMicros),
    promisedMinutes: b.promisedMinutes,
    note: b.note,
    status: b.status,
    createdAt: b.createdAt.toISOString(),
    ...(rank ? { rank } : {}),
  };
}
