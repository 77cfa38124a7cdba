import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ApiError, validationError } from "@/lib/http/errors";
import { newestFirstPage, oldestFirstAfter } from "@/lib/http/cursor";
import { idParam } from "@/lib/http/params";
import { paginationQuerySchema } from "@/lib/http/pagination";
import { pageOf } from "@/lib/http/wire";
import { formatUsd } from "@/lib/money/format";
import { now } from "@/lib/time/clock";
import { actorOf } from "./callers";
import { contractInclude, contractsJson } from "./contract-json";
import { readWorkJson, type WorkJson } from "./work-json";
import { AUTO_ACCEPT_MS, contractOf } from "./delivery";
import { contractJsonSchema } from "./work-json-schemas";
import { contractTerms, settleContract } from "./escrow";
import { moveWork, withWork } from "./transition";

// Disputes (issue 21 item 5): the buyer may dispute a delivery that passed its
// checks within 72 hours of the pass, with a reason (DELIVERED → DISPUTED; the
// auto-accept then no longer applies). A platform admin resolves it — release
// in full, a partial refund, or a full refund — with the admin and the reason
// on the ledger transfers (the provider's share and the fee) and in the audit
// log (DISPUTED → RESOLVED). Accept and dispute lock the same work row: at the
// same moment, exactly one wins; the other finds the work moved and gets 409.

export const disputeBodySchema = z.object({ reason: z.string().trim().min(10, "Say in at least 10 characters what is wrong with the delivery.").max(2000, "Keep the reason under 2,000 characters.") });

export const resolveDisputeBodySchema = z
  .object({
    outcome: z.enum(["RELEASE", "PARTIAL_REFUND", "FULL_REFUND"]),
    refundMicros: z.number().int().positive().optional(),
    reason: z.string().trim().min(3, "Give the reason for this resolution.").max(2000, "Keep the reason under 2,000 characters."),
  })
  .refine((b) => (b.outcome === "PARTIAL_REFUND") === (b.refundMicros !== undefined), { path: ["refundMicros"], message: "A partial refund needs refundMicros; the other outcomes take none." });
export type ResolveDisputeBody = z.infer<typeof resolveDisputeBodySchema>;

export const disputeParamsSchema = z.object({ workId: idParam });
export const listDisputesQuerySchema = paginationQuerySchema;
/** The admin's dispute queue: each disputed work (its buyer by name) with its contract, the dispute and the deliveries. */
export const disputeQueueSchema = pageOf(z.strictObject({ work: z.strictObject({ id: z.string(), title: z.string(), buyer: z.string() }), contract: contractJsonSchema }));

/** The buyer disputes a passed delivery (DELIVERED, within 72 h of the pass) with a reason of 10–2,000 characters. */
export async function disputeWork(principal: Principal, workId: string, reason: string, o: { at?: Date } = {}): Promise<WorkJson> {
  const parsed = disputeBodySchema.safeParse({ reason });
  if (!parsed.success) throw validationError(parsed.error);
  const at = o.at ?? (await now(db));
  const { work } = await withWork(db, { workId, workspaceId: principal.workspace.id }, async (tx, w) => {
    if (w.status !== "DELIVERED") throw new ApiError("conflict", `This work is ${w.status.toLowerCase()}: only a delivery that passed its checks can be disputed.`, { status: w.status });
    const contract = await contractOf(tx, w);
    const closes = new Date(contract.passedAt!.getTime() + AUTO_ACCEPT_MS);
    if (at > closes) throw new ApiError("conflict", `The 72-hour dispute window closed at ${closes.toISOString()}.`, { closedAt: closes.toISOString() });
    await tx.contract.update({ where: { id: contract.id }, data: { disputeReason: parsed.data.reason, disputedAt: at, disputedByUserId: principal.userId } });
    await moveWork(tx, w, "DISPUTED", { type: "disputed", action: "disputed", actor: actorOf(principal), data: { reason: parsed.data.reason } });
  });
  return readWorkJson(db, work.id, principal.workspace.id);
}

/** A platform admin resolves a dispute: RELEASE settles in full, PARTIAL_REFUND (0 < refund < price) settles the rest, FULL_REFUND voids the hold. */
export async function resolveDispute(admin: Principal, workId: string, body: ResolveDisputeBody, o: { at?: Date } = {}): Promise<WorkJson> {
  if (!admin.isAdmin || admin.kind !== "user") throw new ApiError("forbidden", "Only platform admins can resolve disputes.");
  const parsed = resolveDisputeBodySchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { outcome, reason } = parsed.data;
  const at = o.at ?? (await now(db));
  const { work } = await withWork(db, { workId }, async (tx, w) => {
    if (w.status !== "DISPUTED") throw new ApiError("conflict", `This work is ${w.status.toLowerCase()}: only a disputed work can be resolved.`, { status: w.status });
    const contract = await contractOf(tx, w);
    const refundMicros = outcome === "RELEASE" ? 0n : outcome === "FULL_REFUND" ? contract.priceMicros : BigInt(parsed.data.refundMicros!);
    if (outcome === "PARTIAL_REFUND" && refundMicros >= contract.priceMicros) {
      throw new ApiError("validation_failed", `A partial refund must be less than the contract's price, ${formatUsd(Number(contract.priceMicros))}; use FULL_REFUND to refund it all.`, { issues: [{ path: "refundMicros", message: "Must be less than the price." }] });
    }
    const memo = `Dispute resolved (${outcome.toLowerCase().replace("_", " ")}): ${reason}`;
    const settled = await settleContract(tx, w, contract, await contractTerms(contract.providerId), { refundMicros, at, actorUserId: admin.userId, memo });
    await tx.contract.update({ where: { id: contract.id }, data: { outcome, refundMicros, resolutionReason: reason, resolvedByUserId: admin.userId, settledAt: at } });
    const amounts = { outcome, reason, refundMicros: Number(refundMicros), chargedMicros: Number(settled.chargedMicros), shareMicros: Number(settled.shareMicros), feeMicros: Number(settled.feeMicros) };
    await moveWork(tx, w, "RESOLVED", { type: "resolved", action: "resolved", actor: { userId: admin.userId }, data: amounts });
  });
  return readWorkJson(db, work.id, admin.workspace.id);
}

/** The admin dispute queue: disputed works, oldest contract first, each with its contract and the dispute. */
export async function listDisputes(q: { cursor?: string; limit: number }) {
  const rows = await db.contract.findMany({
    where: { work: { status: "DISPUTED" }, ...oldestFirstAfter(q.cursor) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: q.limit + 1,
    include: { ...contractInclude, work: { select: { id: true, title: true, workspaceId: true, workspace: { select: { name: true } } } } },
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  const contracts = await contractsJson(db, page);
  const data = page.map(({ work }, i) => ({ work: { id: work.id, title: work.title, buyer: work.workspace.name }, contract: contracts[i]! }));
  return { data, nextCursor };
}
