import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { log } from "@/lib/observability/log";
import { acceptRun, type RunEngine } from "@/lib/runs/accept-run";
import { acceptanceSchema } from "./acceptance";
import { scoreCheck, type CheckResult } from "./checks";
import { buyerCaller, contractOf, decideDelivery, DELIVERABLE, judgeOutput, startDeliveryRun } from "./delivery";
import { refundEscrow } from "./escrow";
import { acceptInTx } from "./settle";
import { moveWork, withWork } from "./transition";

// The `exchange.contracts` job (every minute; `exchange.deliver` runs its first
// two steps more often): starts the delivery runs of contracts awarded to a
// package bid, checks deliveries whose run (or evaluator runs) ended, refunds
// contracts past their delivery deadline without a passing delivery (a
// delivery already handed in and waiting only for its evaluators is let
// finish), and accepts passed deliveries 72 hours after they passed. Each work
// is its own transaction on its locked row, so a step repeated (a retried job,
// two processes) finds the work moved and does nothing; one work's error is
// logged and does not stop the others.

export const SWEEP_BATCH = 100;

export type SweepOptions = { /** The run engine delivery and evaluator runs are started on; without one, none is started. */ executor?: RunEngine; batch?: number; /** Only these works (a test's own, among other tests' works). */ workIds?: string[] };
export type SweepResult = { started: number; checked: number; refunded: number; accepted: number };

const scoped = (o: SweepOptions) => (o.workIds ? { workId: { in: o.workIds } } : {});

/** Runs `fn` on each item, counting the ones it reports done; an item's error is logged and skipped. */
async function each<T>(what: string, items: T[], fn: (item: T) => Promise<unknown>): Promise<number> {
  let done = 0;
  for (const item of items) {
    try {
      if (await fn(item)) done++;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) continue; // moved meanwhile: someone else did it
      log.error("exchange sweep step failed", { step: what, item: JSON.stringify(item), err: (err as Error).message });
    }
  }
  return done;
}

/** Delivery runs for contracts awarded to a package bid that have none yet. */
async function startMissingRuns(jobDb: Db, at: Date, o: SweepOptions): Promise<number> {
  const executor = o.executor;
  if (!executor) return 0;
  const due = await jobDb.contract.findMany({
    where: { ...scoped(o), packageId: { not: null }, attempts: 0, deliveryDeadline: { gt: at }, work: { status: "AWARDED" }, deliveries: { none: {} } },
    orderBy: { createdAt: "asc" },
    take: o.batch ?? SWEEP_BATCH,
    select: { id: true },
  });
  return each("start", due, async (c) => startDeliveryRun(jobDb, c.id, { at, executor }));
}

/** Deliveries whose run ended: its output checked, or (a failed or canceled run) a failed delivery. */
async function finishDeliveryRuns(jobDb: Db, at: Date, o: SweepOptions): Promise<number> {
  const waiting = await jobDb.delivery.findMany({
    where: { verdict: "PENDING", runId: { not: null }, output: { equals: Prisma.DbNull }, ...(o.workIds && { contract: { workId: { in: o.workIds } } }) },
    take: o.batch ?? SWEEP_BATCH,
    select: { id: true, runId: true, contract: { select: { workId: true } } },
  });
  if (!waiting.length) return 0;
  const runs = await jobDb.run.findMany({ where: { id: { in: waiting.map((d) => d.runId!) }, status: { in: ["SUCCEEDED", "FAILED", "CANCELED"] } }, select: { id: true, status: true, output: true, errorMessage: true } });
  const ended = new Map(runs.map((r) => [r.id, r]));
  return each("finish", waiting.filter((d) => ended.has(d.runId!)), (d) =>
    withWork(jobDb, { workId: d.contract.workId }, async (tx, work) => {
      const delivery = await tx.delivery.findUniqueOrThrow({ where: { id: d.id } });
      if (delivery.verdict !== "PENDING" || delivery.output !== null) return false;
      const run = ended.get(d.runId!)!;
      const contract = await contractOf(tx, work);
      if (!DELIVERABLE.includes(work.status)) return decideDelivery(tx, work, contract, delivery, [{ name: "delivery run", passed: false, message: `The run ended after this work was ${work.status.toLowerCase()}.` }], at);
      if (run.status !== "SUCCEEDED") {
        const why = run.errorMessage ? `: ${run.errorMessage}` : ".";
        return decideDelivery(tx, work, contract, delivery, [{ name: "delivery run", passed: false, message: `The delivery run ${run.status.toLowerCase()}${why}` }], at);
      }
      const output = run.output === null ? Prisma.JsonNull : (run.output as Prisma.InputJsonValue);
      const withOutput = await tx.delivery.update({ where: { id: delivery.id }, data: { output } });
      return judgeOutput(tx, work, contract, withOutput, run.output, at);
    }),
  );
}

/**
 * One delivery's evaluator checks moved on: each not started is started (a normal run charged to the buyer:
 * the criterion is theirs; one that cannot start — the buyer's credits or limits — passes with a note rather
 * than count against the provider); each whose run ended is scored. When none is left pending, the verdict.
 */
async function advanceEvaluators(jobDb: Db, deliveryId: string, at: Date, executor: RunEngine): Promise<boolean> {
  const d = await jobDb.delivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { contract: { include: { work: true } } } });
  const work = d.contract.work;
  const acceptance = acceptanceSchema.parse(work.acceptance);
  const updates = new Map<number, CheckResult>();
  const checks = d.checks as CheckResult[];
  for (const [i, c] of checks.entries()) {
    const spec = acceptance.checks[i - 1]; // checks[0] is the output schema
    if (!c.pending || spec?.type !== "evaluator") continue;
    if (!c.runId) {
      try {
        const body = { agent: spec.package, input: { output: d.output, acceptance } as Prisma.InputJsonValue, idempotencyKey: `delivery:${d.id}:evaluator:${i}` };
        updates.set(i, { ...c, runId: (await acceptRun(await buyerCaller(work), body, { executor })).run.id });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500 || err.status === 429) throw err;
        updates.set(i, { name: c.name, passed: true, message: `${spec.package} could not run in the buyer's workspace (${err.message}); this check does not count against the provider.` });
      }
      continue;
    }
    const run = await jobDb.run.findUnique({ where: { id: c.runId }, select: { status: true, output: true } });
    if (!run || run.status === "QUEUED" || run.status === "RUNNING") continue;
    updates.set(i, run.status === "SUCCEEDED" ? scoreCheck(spec, run.output, c.runId) : { name: c.name, passed: false, runId: c.runId, message: `The evaluator run ${run.status.toLowerCase()}, so the output has no score.` });
  }
  if (!updates.size) return false;
  const { result } = await withWork(jobDb, { workId: work.id }, async (tx, w) => {
    const fresh = await tx.delivery.findUniqueOrThrow({ where: { id: d.id } });
    if (fresh.verdict !== "PENDING") return false;
    const merged = (fresh.checks as CheckResult[]).map((c, i) => updates.get(i) ?? c);
    if (merged.some((c) => c.pending)) {
      await tx.delivery.update({ where: { id: d.id }, data: { checks: merged as Prisma.InputJsonValue } });
      return false;
    }
    await decideDelivery(tx, w, await contractOf(tx, w), fresh, merged, at);
    return true;
  });
  return Boolean(result);
}

async function evaluateDeliveries(jobDb: Db, at: Date, o: SweepOptions): Promise<number> {
  const executor = o.executor;
  if (!executor) return 0;
  const waiting = await jobDb.delivery.findMany({
    where: { verdict: "PENDING", output: { not: Prisma.DbNull }, ...(o.workIds && { contract: { workId: { in: o.workIds } } }) },
    take: o.batch ?? SWEEP_BATCH,
    select: { id: true },
  });
  return each("evaluate", waiting, async (d) => advanceEvaluators(jobDb, d.id, at, executor));
}

/** Works past their delivery deadline without a passing delivery (none waiting only for its evaluators): refunded. */
async function refundMissedDeadlines(jobDb: Db, at: Date, o: SweepOptions): Promise<number> {
  const late = await jobDb.contract.findMany({ where: { ...scoped(o), deliveryDeadline: { lt: at }, work: { status: { in: DELIVERABLE } } }, take: o.batch ?? SWEEP_BATCH, select: { workId: true } });
  return each("deadline", late, async ({ workId }) =>
    (
      await withWork(jobDb, { workId }, async (tx, w) => {
        if (!DELIVERABLE.includes(w.status)) return false;
        const contract = await contractOf(tx, w);
        if (at <= contract.deliveryDeadline) return false;
        const judging = await tx.delivery.count({ where: { contractId: contract.id, verdict: "PENDING", output: { not: Prisma.DbNull } } });
        if (judging) return false;
        await refundEscrow(tx, w);
        await moveWork(tx, w, "REFUNDED", { type: "refunded", action: "refunded", data: { reason: "missed_deadline", deliveryDeadline: contract.deliveryDeadline.toISOString() } });
        return true;
      })
    ).result,
  );
}

/** Passed deliveries not accepted nor disputed within 72 hours: accepted and settled. */
async function autoAccept(jobDb: Db, at: Date, o: SweepOptions): Promise<number> {
  const due = await jobDb.contract.findMany({ where: { ...scoped(o), autoAcceptAt: { lte: at }, work: { status: "DELIVERED" } }, take: o.batch ?? SWEEP_BATCH, select: { workId: true } });
  return each("auto-accept", due, async ({ workId }) =>
    (
      await withWork(jobDb, { workId }, async (tx, w) => {
        if (w.status !== "DELIVERED") return false;
        const contract = await contractOf(tx, w);
        if (!contract.autoAcceptAt || contract.autoAcceptAt > at) return false;
        await acceptInTx(tx, w, at, { auto: true });
        return true;
      })
    ).result,
  );
}

/** The delivery steps alone (the `exchange.deliver` job, every few seconds): start runs, check ended ones. */
export async function sweepDeliveries(jobDb: Db, at: Date, o: SweepOptions = {}): Promise<Pick<SweepResult, "started" | "checked">> {
  const started = await startMissingRuns(jobDb, at, o);
  const checked = (await finishDeliveryRuns(jobDb, at, o)) + (await evaluateDeliveries(jobDb, at, o));
  return { started, checked };
}

/** The `exchange.contracts` job: every step, batched, each work its own transaction; idempotent. */
export async function sweepContracts(jobDb: Db, at: Date, o: SweepOptions = {}): Promise<SweepResult> {
  const { started, checked } = await sweepDeliveries(jobDb, at, o);
  const refunded = await refundMissedDeadlines(jobDb, at, o);
  const accepted = await autoAccept(jobDb, at, o);
  return { started, checked, refunded, accepted };
}
