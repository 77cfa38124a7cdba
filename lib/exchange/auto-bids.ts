import type { Db } from "@/lib/db/client";
import type { BidPolicy } from "@/lib/packages/manifest";
import { now } from "@/lib/time/clock";
import { sweepWorks } from "./award";
import { recordWorkEvent, withWork } from "./transition";

// Automatic bids (issue 21 item 2): a package whose manifest has a `bidPolicy`
// (lib/packages/manifest.ts) bids by itself on newly posted work tagged with one
// of its capabilities, at the policy's price, if that is within the budget. Once
// per work (its "auto_bids" event, keyed): the `exchange.bids` job places them
// for works posted since its last run. Packages: the latest published version of
// each slug ("isLatest", kept by a trigger), with a bid policy, of a provider
// other than the buyer's workspace (and an invited one on INVITED work). There is
// no index on bidPolicy: the query filters the latest rows, at most
// MAX_AUTO_BIDS bids per work.

export const MAX_AUTO_BIDS = 50;

/** A policy's price for an input of `inputBytes`: base + per started KB, capped at maxMicros. */
export function policyPrice(policy: BidPolicy, inputBytes: number): bigint {
  const kb = Math.ceil(inputBytes / 1024);
  const price = BigInt(policy.price.baseMicros) + BigInt(policy.price.perInputKbMicros ?? 0) * BigInt(kb);
  const cap = policy.price.maxMicros;
  return cap !== undefined && price > BigInt(cap) ? BigInt(cap) : price;
}

type Candidate = { id: string; slug: string; providerId: string; bidPolicy: BidPolicy };

/** The packages' bids on one OPEN work within its bid window; how many were placed (0 when done before). */
export async function placeAutoBids(db: Db, workId: string): Promise<number> {
  const idempotencyKey = `work:${workId}:auto-bids`;
  const moved = await withWork(db, { workId, idempotencyKey }, async (tx, work) => {
    if (work.status !== "OPEN" || work.bidDeadline <= (await now(tx)) || work.capabilities.length === 0) return 0;
    const invitedOnly = work.visibility === "INVITED";
    const candidates = await tx.$queryRaw<Candidate[]>`
      SELECT p."id", p."slug", p."providerId", p."bidPolicy"
      FROM "AgentPackage" p JOIN "Provider" pr ON pr."id" = p."providerId"
      WHERE p."isLatest" AND p."status" = 'PUBLISHED' AND p."bidPolicy" IS NOT NULL
        AND (p."bidPolicy" -> 'capabilities') ?| ${work.capabilities}::text[]
        AND pr."workspaceId" IS DISTINCT FROM ${work.workspaceId}
        AND (NOT ${invitedOnly} OR p."providerId" = ANY(${work.invitedProviderIds}::text[]))
      ORDER BY p."slug"
      LIMIT ${MAX_AUTO_BIDS}`;
    const inputBytes = Buffer.byteLength(JSON.stringify(work.input));
    const bids = candidates
      .map((c) => ({ c, price: policyPrice(c.bidPolicy, inputBytes) }))
      .filter(({ price }) => price <= work.budgetMicros)
      .map(({ c, price }) => ({ workId, providerId: c.providerId, packageId: c.id, packageSlug: c.slug, auto: true, priceMicros: price, promisedMinutes: c.bidPolicy.promisedMinutes, note: c.bidPolicy.note ?? "" }));
    const { count } = bids.length ? await tx.bid.createMany({ data: bids, skipDuplicates: true }) : { count: 0 };
    await recordWorkEvent(tx, work, { type: "auto_bids", idempotencyKey, data: { count, packages: bids.map((b) => b.packageSlug) } });
    return count;
  });
  return moved.result ?? 0;
}

/** The `exchange.bids` job's first half: auto-bids on OPEN works (bid window open) that have not had them yet. */
export async function placePendingAutoBids(db: Db, at: Date): Promise<number> {
  const works = await db.work.findMany({
    where: { status: "OPEN", bidDeadline: { gt: at }, events: { none: { type: "auto_bids" } } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: 100,
  });
  return sweepWorks(works, "exchange auto-bids not placed", (id) => placeAutoBids(db, id));
}
