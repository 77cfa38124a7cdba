import type { Principal } from "@/lib/auth/principal";
import { db as appDb, type Db, type DbTx } from "@/lib/db/client";
import type { Work } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { runningJobBoss } from "@/lib/jobs/boss";
import { log } from "@/lib/observability/log";
import { now } from "@/lib/time/clock";
import { rankBidRows } from "./bids";
import { actorOf, scopedKey } from "./callers";
import { contractTerms, refundEscrow, shrinkToContract } from "./escrow";
import { assertMove } from "./states";
import { moveWork, withWork, type Actor } from "./transition";
import { bidInclude, readWorkJson, type WorkJson } from "./work-json";

// The award (issue 21 items 3–4): the buyer's, or the system's when the bid window
// of an auto-award work closes. One transaction on the locked work: the contract at
// the bid's price (its unique workId makes a second award impossible even without
// the lock), the escrow hold shrunk to that price, the winning bid WON and the rest
// LOST, the work AWARDED. A bid with a package is then delivered by running it:
// the `exchange.deliver` job (lib/exchange/delivery…, part B) is sent after commit.

/** The job that runs a contract's package on the work's input. */
export const DELIVER_QUEUE = "exchange.deliver";

type Awarded = { contractId: string; packageId: string | null };

/** The award inside the work's transaction; 409 unless the work is OPEN, before its delivery deadline, and the bid ACTIVE. */
export async function awardInTx(tx: DbTx, work: Work, bidId: string, e: { actor?: Actor; idempotencyKey?: string | null; at: Date }): Promise<Awarded> {
  assertMove(work.status, "AWARDED", "awarded");
  if (work.deliveryDeadline <= e.at) throw new ApiError("conflict", "The delivery deadline of this work has passed: it can no longer be awarded.");
  const bid = await tx.bid.findFirst({ where: { id: bidId, workId: work.id } });
  if (!bid) throw new ApiError("not_found", "No such bid on this work.", { bidId });
  if (bid.status !== "ACTIVE") throw new ApiError("conflict", `This bid is ${bid.status.toLowerCase()}: only an active bid can be awarded.`, { status: bid.status });
  const terms = await contractTerms(bid.providerId);
  const contract = await tx.contract.create({
    data: { workId: work.id, bidId: bid.id, providerId: bid.providerId, packageId: bid.packageId, priceMicros: bid.priceMicros, feeBps: terms?.feeBps ?? 0, deliveryDeadline: work.deliveryDeadline },
  });
  await shrinkToContract(tx, work, contract);
  await tx.bid.update({ where: { id: bid.id }, data: { status: "WON" } });
  await tx.bid.updateMany({ where: { workId: work.id, status: "ACTIVE" }, data: { status: "LOST" } });
  await moveWork(tx, work, "AWARDED", { type: "awarded", action: "awarded", actor: e.actor, idempotencyKey: e.idempotencyKey, data: { bidId: bid.id, contractId: contract.id, priceMicros: Number(bid.priceMicros) } });
  return { contractId: contract.id, packageId: bid.packageId };
}

/** After the award commits: a package's contract is delivered by a run (the job); a hand bid's by upload. Best effort: B's sweep finds contracts without deliveries. */
export async function queueDelivery(awarded: Awarded | undefined): Promise<void> {
  if (!awarded?.packageId) return;
  const boss = runningJobBoss();
  if (!boss) return;
  try {
    await (await boss).send(DELIVER_QUEUE, { contractId: awarded.contractId }, { singletonKey: awarded.contractId });
  } catch (err) {
    log.warn("exchange delivery job not sent", { contractId: awarded.contractId, err: (err as Error).message });
  }
}

/** POST /api/v1/work/:id/award: the buyer awards an ACTIVE bid of its OPEN work. */
export async function awardBid(principal: Principal, workId: string, bidId: string, o: { idempotencyKey?: string; at?: Date } = {}): Promise<WorkJson> {
  const idempotencyKey = scopedKey(principal, "award", o.idempotencyKey);
  const at = o.at ?? (await now(appDb));
  const moved = await withWork(appDb, { workId, workspaceId: principal.workspace.id, idempotencyKey }, (tx, work) => awardInTx(tx, work, bidId, { actor: actorOf(principal), idempotencyKey, at }));
  if (!moved.replayed) await queueDelivery(moved.result);
  return readWorkJson(appDb, workId, principal.workspace.id);
}

/** One work whose bid window has closed: auto-awarded, left for the buyer, or refunded. Idempotent. */
async function closeWindow(db: Db, workId: string, at: Date): Promise<boolean> {
  const moved = await withWork(db, { workId }, async (tx, work) => {
    if (work.status !== "OPEN" || work.bidDeadline > at) return null;
    const bids = await tx.bid.findMany({ where: { workId, status: "ACTIVE" }, include: bidInclude });
    if (work.deliveryDeadline > at && bids.length > 0) {
      if (!work.autoAward) return null; // the buyer awards by hand until the delivery deadline
      const [best] = await rankBidRows(tx, work, bids, at);
      return awardInTx(tx, work, best!.id, { idempotencyKey: `work:${workId}:auto-award`, at });
    }
    await refundEscrow(tx, work);
    await tx.bid.updateMany({ where: { workId, status: "ACTIVE" }, data: { status: "LOST" } });
    const reason = bids.length ? "not awarded before the delivery deadline" : "no bids";
    await moveWork(tx, work, "REFUNDED", { type: "refunded", action: "refunded", idempotencyKey: `work:${workId}:unawarded`, data: { reason } });
    return null;
  });
  await queueDelivery(moved.result ?? undefined);
  return moved.work.status !== "OPEN";
}

/**
 * The `exchange.bids` sweep: OPEN works whose bid window closed by `at` and that need
 * the system — auto-award ones (their best-ranked ACTIVE bid wins), ones without an
 * ACTIVE bid, ones past their delivery deadline (both refunded). Each work in its own
 * transaction; returns how many left OPEN.
 */
export async function closeBidWindows(db: Db, at: Date, o: { workIds?: string[] } = {}): Promise<number> {
  const due = await db.work.findMany({
    where: { ...(o.workIds && { id: { in: o.workIds } }), status: "OPEN", bidDeadline: { lte: at }, OR: [{ autoAward: true }, { deliveryDeadline: { lte: at } }, { bids: { none: { status: "ACTIVE" } } }] },
    select: { id: true },
    orderBy: { bidDeadline: "asc" },
    take: 200,
  });
  return sweepWorks(due, "exchange bid window not closed", async (id) => Number(await closeWindow(db, id, at)));
}

/** A sweep's works one by one, each in its own transaction: one that fails is logged and tried again at the next run. Sums `fn`'s counts. */
export async function sweepWorks(works: { id: string }[], failure: string, fn: (workId: string) => Promise<number>): Promise<number> {
  let total = 0;
  for (const { id } of works) {
    try {
      total += await fn(id);
    } catch (err) {
      log.warn(failure, { workId: id, err: (err as Error).message });
    }
  }
  return total;
}
