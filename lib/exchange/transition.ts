import { recordAudit } from "@/lib/audit/record-audit";
import type { Db, DbTx } from "@/lib/db/client";
import type { Prisma, Work, WorkStatus } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { assertMove } from "./states";

// Every state change of a work is one transaction (SPEC §13 "Exchange"): the
// work row locked first (so two awards, or an accept and a dispute, queue and
// the second sees the first's status), the move checked against the state
// machine (409 otherwise), the money moved through lib/exchange/escrow.ts, and
// a WorkEvent plus an audit row written. A request retried under the same
// idempotency key finds its WorkEvent and is a replay, not a second move.

export type Actor = { userId?: string | null; apiKeyId?: string | null };

export type Moved<T> = { work: Work; result: T; replayed: boolean };

/** The work, locked for this transaction; 404 when it does not exist (or, with `workspaceId`, is not that workspace's). */
export async function lockWork(tx: DbTx, workId: string, workspaceId?: string): Promise<Work> {
  const [row] = await tx.$queryRaw<Work[]>`SELECT * FROM "Work" WHERE "id" = ${workId} FOR UPDATE`;
  if (!row || (workspaceId !== undefined && row.workspaceId !== workspaceId)) throw new ApiError("not_found", "No such work.", { workId });
  return { ...row, budgetMicros: BigInt(row.budgetMicros) };
}

/**
 * Runs `fn` on the locked work in one transaction. With `idempotencyKey`, a
 * transition already recorded under it returns the work as it is now, replayed.
 */
export async function withWork<T>(
  db: Db,
  o: { workId: string; workspaceId?: string; idempotencyKey?: string | null },
  fn: (tx: Prisma.TransactionClient, work: Work) => Promise<T>,
): Promise<Moved<T | undefined>> {
  return db.$transaction(async (tx) => {
    const work = await lockWork(tx, o.workId, o.workspaceId);
    if (o.idempotencyKey) {
      const done = await tx.workEvent.findUnique({ where: { idempotencyKey: o.idempotencyKey }, select: { workId: true } });
      if (done) {
        if (done.workId !== work.id) throw new ApiError("idempotency_key_reused", "This idempotency key was used for another work.", { workId: done.workId });
        return { work, result: undefined, replayed: true };
      }
    }
    const result = await fn(tx, work);
    const after = await tx.work.findUniqueOrThrow({ where: { id: work.id } });
    return { work: after, result, replayed: false };
  });
}

/**
 * Moves the locked `work` to `to` (409 if the state machine does not allow it),
 * recording a WorkEvent and an audit row. `action` completes "it cannot be … now".
 */
export async function moveWork(
  tx: DbTx,
  work: Work,
  to: WorkStatus,
  e: { type: string; action: string; actor?: Actor; idempotencyKey?: string | null; data?: Prisma.InputJsonValue },
): Promise<void> {
  assertMove(work.status, to, e.action);
  await tx.work.update({ where: { id: work.id }, data: { status: to } });
  await recordWorkEvent(tx, work, { ...e, from: work.status, to });
  work.status = to;
}

/** A WorkEvent (and its audit row) without a status change: a bid, a delivery checked, a redelivery asked for. */
export async function recordWorkEvent(
  tx: DbTx,
  work: Pick<Work, "id" | "workspaceId">,
  e: { type: string; actor?: Actor; idempotencyKey?: string | null; data?: Prisma.InputJsonValue; from?: WorkStatus; to?: WorkStatus },
): Promise<void> {
  await tx.workEvent.create({
    data: { workId: work.id, type: e.type, fromStatus: e.from ?? null, toStatus: e.to ?? null, actorUserId: e.actor?.userId ?? null, data: e.data ?? {}, idempotencyKey: e.idempotencyKey ?? null },
  });
  await recordAudit(
    { action: `work.${e.type}`, actorUserId: e.actor?.userId ?? null, actorApiKeyId: e.actor?.apiKeyId ?? null, workspaceId: work.workspaceId, target: work.id, metadata: { from: e.from ?? null, to: e.to ?? null, ...(e.data && typeof e.data === "object" && !Array.isArray(e.data) ? e.data : {}) } },
    tx,
  );
}
