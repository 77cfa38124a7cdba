import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { principalWorkspace } from "@/lib/auth/principal";
import { db, type Db, type DbTx } from "@/lib/db/client";
import { Prisma, type Contract, type Delivery, type Work } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { acceptRun, type RunCaller, type RunEngine } from "@/lib/runs/accept-run";
import { now } from "@/lib/time/clock";
import { acceptanceSchema } from "./acceptance";
import { checkOutput, type CheckResult } from "./checks";
import { deliveryJson, type DeliveryJson } from "./work-json";
import { refundEscrow } from "./escrow";
import { moveWork, recordWorkEvent, withWork } from "./transition";

// Deliveries (issue 21 items 4–5): the provider delivers by a run of the bid's
// package on the work's input (started by the platform, in the buyer's
// workspace, never charged: the contract's price is the only charge) or by
// uploading an output; the platform checks it against the acceptance criteria.
// A pass → DELIVERED (the buyer may accept, or it auto-accepts after 72 h); a
// first failure → REDELIVERY; a second → REFUNDED (the hold voided). At most
// two deliveries; one is checked at a time. Every verdict is one transaction on
// the locked work (lib/exchange/transition.ts).

export const MAX_OUTPUT_BYTES = 256 * 1024;

/** POST /api/v1/work/:id/deliveries: an output uploaded by hand, or `{ run: true }` for a redelivery run of the bid's package. */
export const deliverBodySchema = z.union([
  z.object({ run: z.literal(true) }).strict(),
  z.object({ output: z.unknown().refine((v) => v !== undefined, "Send the delivered output (any JSON), or { \"run\": true }.") }).strict(),
]);
export const AUTO_ACCEPT_MS = 72 * 3_600_000;
export const MAX_DELIVERIES = 2;

export const DELIVERABLE: Work["status"][] = ["AWARDED", "REDELIVERY"];

/** The locked work's contract, or 409 when it has none (not awarded yet). */
export async function contractOf(tx: DbTx, work: Pick<Work, "id" | "status">): Promise<Contract> {
  const contract = await tx.contract.findUnique({ where: { workId: work.id } });
  if (!contract) throw new ApiError("conflict", `This work is ${work.status.toLowerCase()}: it has no contract yet.`, { status: work.status });
  return contract;
}

/** 403 unless the caller is a member of the contract's provider's workspace. */
export async function assertProviderMember(tx: DbTx, principal: Principal, contract: Pick<Contract, "providerId">): Promise<void> {
  const provider = await tx.provider.findUniqueOrThrow({ where: { id: contract.providerId }, select: { workspaceId: true } });
  if (provider.workspaceId !== principal.workspace.id) throw new ApiError("forbidden", "Only the provider awarded this work can deliver it.");
}

/** 409 unless the work can take a delivery now: AWARDED or REDELIVERY, before its deadline, none being checked, fewer than two made. */
async function assertCanDeliver(tx: DbTx, work: Work, contract: Contract, at: Date): Promise<void> {
  if (!DELIVERABLE.includes(work.status)) throw new ApiError("conflict", `This work is ${work.status.toLowerCase()}: it cannot take a delivery now.`, { status: work.status });
  if (at > contract.deliveryDeadline) throw new ApiError("conflict", `The delivery deadline (${contract.deliveryDeadline.toISOString()}) has passed.`, { deliveryDeadline: contract.deliveryDeadline.toISOString() });
  if (contract.attempts >= MAX_DELIVERIES) throw new ApiError("conflict", `This contract already had its ${MAX_DELIVERIES} deliveries.`);
  const checking = await tx.delivery.findFirst({ where: { contractId: contract.id, verdict: "PENDING" }, select: { attempt: true } });
  if (checking) throw new ApiError("conflict", `Delivery ${checking.attempt} is still being made or checked; wait for its verdict.`, { attempt: checking.attempt });
}

/** A new delivery (the next attempt) on the locked work, with a "delivered" event. */
async function recordDelivery(tx: DbTx, work: Work, contract: Contract, d: { output?: Prisma.InputJsonValue | typeof Prisma.JsonNull; runId?: string; actorUserId?: string | null }): Promise<Delivery> {
  const attempt = contract.attempts + 1;
  const delivery = await tx.delivery.create({ data: { contractId: contract.id, attempt, runId: d.runId ?? null, ...(d.output !== undefined && { output: d.output }) } });
  await tx.contract.update({ where: { id: contract.id }, data: { attempts: attempt } });
  contract.attempts = attempt;
  await recordWorkEvent(tx, work, { type: "delivered", actor: { userId: d.actorUserId ?? null }, data: { deliveryId: delivery.id, attempt, by: d.runId ? "run" : "hand", runId: d.runId ?? null } });
  return delivery;
}

/**
 * A delivery's verdict, on the locked work: PASSED → DELIVERED (auto-accept 72 h later);
 * FAILED → REDELIVERY on the first attempt, REFUNDED (escrow voided) on the second.
 * A work no longer waiting for it (refunded at its deadline meanwhile) only records the verdict.
 */
export async function decideDelivery(tx: DbTx, work: Work, contract: Contract, delivery: Pick<Delivery, "id" | "attempt">, checks: CheckResult[], at: Date): Promise<Delivery> {
  const passed = checks.every((c) => c.passed);
  const decided = await tx.delivery.update({ where: { id: delivery.id }, data: { verdict: passed ? "PASSED" : "FAILED", checks: checks as Prisma.InputJsonValue, checkedAt: at } });
  if (!DELIVERABLE.includes(work.status)) return decided;
  const data = { deliveryId: delivery.id, attempt: delivery.attempt, verdict: decided.verdict, failed: checks.filter((c) => !c.passed).map((c) => c.name) };
  if (passed) {
    await tx.contract.update({ where: { id: contract.id }, data: { passedAt: at, autoAcceptAt: new Date(at.getTime() + AUTO_ACCEPT_MS) } });
    await moveWork(tx, work, "DELIVERED", { type: "checked", action: "delivered", data });
  } else if (delivery.attempt < MAX_DELIVERIES) {
    await moveWork(tx, work, "REDELIVERY", { type: "checked", action: "sent back for redelivery", data });
  } else {
    await refundEscrow(tx, work);
    await moveWork(tx, work, "REFUNDED", { type: "refunded", action: "refunded", data: { ...data, reason: "failed_twice" } });
  }
  return decided;
}

/**
 * Checks a delivered output: decided at once unless an evaluator check must run first
 * (then the delivery stays PENDING with its output; the sweep starts and finishes the
 * evaluators). A failing machine check fails the delivery without running evaluators.
 */
export async function judgeOutput(tx: DbTx, work: Work, contract: Contract, delivery: Delivery, output: unknown, at: Date): Promise<Delivery> {
  const checks = checkOutput(acceptanceSchema.parse(work.acceptance), output);
  const failed = checks.some((c) => !c.passed && !c.pending);
  if (failed) return decideDelivery(tx, work, contract, delivery, checks.map((c) => (c.pending ? { name: c.name, passed: false, message: "Not run: another check failed first." } : c)), at);
  if (checks.some((c) => c.pending)) return tx.delivery.update({ where: { id: delivery.id }, data: { checks: checks as Prisma.InputJsonValue } });
  return decideDelivery(tx, work, contract, delivery, checks, at);
}

/** A hand delivery by a member of the contract's provider: 403 for anyone else, 409 out of turn or past the deadline, 413 over 256 KB. */
export async function deliverOutput(principal: Principal, workId: string, output: unknown, o: { at?: Date } = {}): Promise<DeliveryJson> {
  const size = Buffer.byteLength(JSON.stringify(output ?? null));
  if (size > MAX_OUTPUT_BYTES) throw new ApiError("payload_too_large", `A delivered output can be at most ${MAX_OUTPUT_BYTES / 1024} KB; this one is ${Math.ceil(size / 1024)} KB.`, { maxBytes: MAX_OUTPUT_BYTES });
  const at = o.at ?? (await now(db));
  const { result } = await withWork(db, { workId }, async (tx, work) => {
    const contract = await contractOf(tx, work);
    await assertProviderMember(tx, principal, contract);
    await assertCanDeliver(tx, work, contract, at);
    const delivery = await recordDelivery(tx, work, contract, { output: output === null || output === undefined ? Prisma.JsonNull : (output as Prisma.InputJsonValue), actorUserId: principal.userId });
    return judgeOutput(tx, work, contract, delivery, output, at);
  });
  return deliveryJson(result!);
}

/** Who a delivery or evaluator run is for: the buyer's workspace, as the user who posted the work. */
export async function buyerCaller(work: Pick<Work, "workspaceId" | "createdByUserId">): Promise<RunCaller> {
  return { userId: work.createdByUserId, apiKeyId: null, workspace: await principalWorkspace(work.workspaceId) };
}

/** A delivery run could not start for a reason retrying will not fix (its input does not fit the package, the version is gone). */
const unstartable = (err: unknown): err is ApiError => err instanceof ApiError && (err.status === 400 || err.status === 404);

/**
 * Starts the next delivery run of a contract whose bid has a package: that version on the work's input, in the
 * buyer's workspace, uncharged (acceptRun's `contract`), linked by Delivery.runId. Idempotent (the run's key
 * is the contract and attempt). Null when there is nothing to start; a run that cannot start is a failed delivery.
 */
export async function startDeliveryRun(jobDb: Db, contractId: string, o: { at?: Date; executor: RunEngine; principal?: Principal }): Promise<Delivery | null> {
  const contract = await jobDb.contract.findUniqueOrThrow({ where: { id: contractId }, include: { work: true } });
  const at = o.at ?? (await now(jobDb));
  if (!contract.packageId || !DELIVERABLE.includes(contract.work.status) || at > contract.deliveryDeadline || contract.attempts >= MAX_DELIVERIES) return null;
  const making = await jobDb.delivery.findFirst({ where: { contractId, verdict: "PENDING" } });
  if (making) return making; // one delivery at a time: this one is still being made or checked
  const pkg = await jobDb.agentPackage.findUniqueOrThrow({ where: { id: contract.packageId }, select: { slug: true, version: true } });
  const attempt = contract.attempts + 1;
  let runId: string | undefined;
  let refusal: ApiError | undefined;
  try {
    const body = { agent: `${pkg.slug}@${pkg.version}`, input: contract.work.input, idempotencyKey: `contract:${contract.id}:delivery:${attempt}` };
    runId = (await acceptRun(await buyerCaller(contract.work), body, { executor: o.executor, contract: true })).run.id;
  } catch (err) {
    if (!unstartable(err)) throw err;
    refusal = err;
  }
  const { result } = await withWork(jobDb, { workId: contract.workId }, async (tx, work) => {
    const c = await contractOf(tx, work);
    if (o.principal) await assertProviderMember(tx, o.principal, c);
    const existing = await tx.delivery.findUnique({ where: { contractId_attempt: { contractId: c.id, attempt } } });
    if (existing) return existing; // started already (the job and the sweep, or a retry)
    if (c.attempts !== attempt - 1) return null;
    await assertCanDeliver(tx, work, c, at);
    const delivery = await recordDelivery(tx, work, c, { runId, actorUserId: o.principal?.userId });
    if (!refusal) return delivery;
    return decideDelivery(tx, work, c, delivery, [{ name: "delivery run", passed: false, message: `The delivery run could not start: ${refusal.message}` }], at);
  });
  return result ?? null;
}

/** The provider asks for the second delivery as a run of its bid's package (in REDELIVERY). */
export async function redeliverByRun(principal: Principal, workId: string, o: { at?: Date; executor: RunEngine }): Promise<DeliveryJson> {
  const work = await db.work.findUnique({ where: { id: workId }, include: { contract: true } });
  if (!work?.contract) throw new ApiError("not_found", "No such work with a contract.", { workId });
  await assertProviderMember(db, principal, work.contract);
  if (work.status !== "REDELIVERY") throw new ApiError("conflict", `This work is ${work.status.toLowerCase()}: a redelivery run is only possible after a failed delivery.`, { status: work.status });
  if (!work.contract.packageId) throw new ApiError("conflict", "This contract's bid has no package to run; deliver the output by hand.");
  const delivery = await startDeliveryRun(db, work.contract.id, { ...o, principal });
  if (!delivery) throw new ApiError("conflict", "This contract cannot take another delivery now: its delivery deadline has passed, or it had its two deliveries.");
  return deliveryJson(delivery);
}
