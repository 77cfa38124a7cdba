import type { Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import type { Work } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { now } from "@/lib/time/clock";
import { actorOf, scopedKey } from "./callers";
import { contractOf } from "./delivery";
import { contractTerms, settleContract } from "./escrow";
import { moveWork, withWork, type Actor } from "./transition";
import { readWorkJson, type WorkJson } from "./work-json";

// Acceptance (issue 21 item 5): a passed delivery accepted by the buyer, or
// automatically 72 hours after it passed (lib/exchange/contract-sweep.ts) —
// DELIVERED → ACCEPTED → SETTLED in one transaction: the buyer charged the
// contract price from the hold, the provider's share held until it matures, the
// platform's fee posted (lib/exchange/escrow.ts settleContract).

/** On the locked, DELIVERED work: accepted and settled (409 from any other status). */
export async function acceptInTx(tx: DbTx, work: Work, at: Date, e: { actor?: Actor; idempotencyKey?: string | null; auto?: boolean }): Promise<void> {
  await moveWork(tx, work, "ACCEPTED", { type: e.auto ? "auto_accepted" : "accepted", action: "accepted", actor: e.actor, idempotencyKey: e.idempotencyKey });
  const contract = await contractOf(tx, work);
  const settled = await settleContract(tx, work, contract, await contractTerms(contract.providerId), { at });
  await tx.contract.update({ where: { id: contract.id }, data: { settledAt: at } });
  const amounts = { chargedMicros: Number(settled.chargedMicros), shareMicros: Number(settled.shareMicros), feeMicros: Number(settled.feeMicros) };
  await moveWork(tx, work, "SETTLED", { type: "settled", action: "settled", actor: e.actor, data: amounts });
}

/** The buyer accepts a passed delivery: the contract settles at once. A retry under the same idempotency key is a replay. */
export async function acceptWork(principal: Principal, workId: string, o: { idempotencyKey?: string; at?: Date } = {}): Promise<WorkJson> {
  const at = o.at ?? (await now(db));
  const idempotencyKey = scopedKey(principal, "accept", o.idempotencyKey);
  const { work } = await withWork(db, { workId, workspaceId: principal.workspace.id, idempotencyKey }, async (tx, w) => {
    if (w.status !== "DELIVERED") throw new ApiError("conflict", `This work is ${w.status.toLowerCase()}: only a delivery that passed its checks can be accepted.`, { status: w.status });
    await acceptInTx(tx, w, at, { actor: actorOf(principal), idempotencyKey });
  });
  return readWorkJson(db, work.id, principal.workspace.id);
}
