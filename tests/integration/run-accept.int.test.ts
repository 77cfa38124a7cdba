import { spawn } from "node:child_process";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as runsRoute from "@/app/api/v1/runs/route";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { monthSpend, WORKSPACE_SCOPE } from "@/lib/ledger/budgets";
import { SYSTEM_ACCOUNTS, workspaceBalance } from "@/lib/ledger/ledger";
import { acceptRun, type RunCaller } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { recoverOrphanedRuns } from "@/lib/runs/recover-runs";
import { runExecutor } from "@/lib/runs/run-executor-instance";
import { callRoute } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { scannerInput, testExecutor, type TestExecutor } from "../helpers/run-harness";

// Accepting a run (issue 18): one statement takes the workspace's RunSlot,
// reserves the budget, places the hold and writes the run with its first event
// and its job. Ending a top-level run gives its slot
// back, whoever ends it.

const db = getDb();
expectLedgerInvariantsAfterEach();
afterEach(() => vi.restoreAllMocks());

const body = { agent: "security-scanner", input: scannerInput };
const FEE = securityScanner.baseFeeMicros; // the offline model costs nothing: a run holds its base fee

/** A caller on the Enterprise tier with `concurrentRuns` at once and room for every other limit. */
async function caller(label: string, concurrentRuns: number) {
  const owner = await createUser(label, { tier: "enterprise" });
  await setWallet(owner.workspace.id, 100_000_000n);
  const principal: RunCaller = { ...owner.principal, workspace: { ...owner.principal.workspace, limits: { ...owner.principal.workspace.limits, concurrentRuns, runsPerHour: 10_000 } } };
  return { ...owner, principal };
}

const slot = async (workspaceId: string) => (await db.runSlot.findUnique({ where: { workspaceId } }))?.live ?? 0;
/** The run ids of the jobs in `executor`'s queues (each test executor has queues of its own). */
async function jobsOf(executor: TestExecutor): Promise<string[]> {
  const { queues } = await executor.config.jobs();
  const rows = await db.$queryRawUnsafe<{ runId: string }[]>(`SELECT data->>'runId' AS "runId" FROM "${env().AGORA_JOBS_SCHEMA}".job_common WHERE name = ANY($1::text[]) ORDER BY 1`, Object.values(queues));
  return rows.map((r) => r.runId);
}
const live = (workspaceId: string) => db.run.count({ where: { workspaceId, depth: 0, status: { in: ["QUEUED", "RUNNING"] } } });

describe("accepting runs", () => {
  it("of 100 racing runs with 5 at once, exactly 5 are accepted and 95 refused for concurrency; slot, hold and budget agree", async () => {
    const c = await caller("accept-race", 5);
    const stalled = testExecutor({ works: false }); // accepted runs stay QUEUED
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => acceptRun(c.principal, body, { executor: stalled }).then((r) => r.run.id, (e: unknown) => e)));
    const accepted = outcomes.filter((o): o is string => typeof o === "string");
    const refused = outcomes.filter((o) => typeof o !== "string");
    expect(accepted).toHaveLength(5);
    expect(refused).toHaveLength(95);
    for (const e of refused) {
      expect(e).toBeInstanceOf(ApiError);
      expect(e).toMatchObject({ code: "rate_limited", status: 429, details: { dimension: "concurrent_runs", limit: 5, retryAfterSeconds: 1 } });
    }
    expect(await slot(c.workspace.id)).toBe(5);
    expect(await live(c.workspace.id)).toBe(5);
    expect(await workspaceBalance(db, c.workspace.id)).toMatchObject({ pendingDebitsMicros: 5n * FEE });
    expect(await db.transfer.count({ where: { workspaceId: c.workspace.id, kind: "PENDING", reason: "run_charge" } })).toBe(5);
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: 0n, heldMicros: 5n * FEE });
    expect(await db.runEvent.count({ where: { run: { workspaceId: c.workspace.id } } })).toBe(5);
    for (const id of accepted) await cancelRun(c.workspace.id, id, stalled);
    expect(await slot(c.workspace.id)).toBe(0);
  });

  it("100 concurrent POST /api/v1/runs with two CPU-burning processes alongside: exactly the tier's limit accepted, the rest 429 concurrent_runs, no 5xx", async () => {
    const owner = await createUser("accept-http", { tier: "enterprise" });
    await setWallet(owner.workspace.id, 100_000_000n);
    const { concurrentRuns } = await db.tier.findUniqueOrThrow({ where: { code: "enterprise" } });
    const { secret } = await createApiKey(owner.principal, { name: "race" });
    // No worker claims this file's run queues (none started here): accepted runs stay QUEUED, each holding its slot.
    const burners = Array.from({ length: 2 }, () => spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" }));
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => callRoute(runsRoute.POST, { method: "POST", path: "/api/v1/runs", body: JSON.stringify(body), headers: { authorization: `Bearer ${secret}` } })),
    ).finally(() => burners.forEach((b) => b.kill()));
    const accepted = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 429);
    expect(responses.map((r) => r.status).filter((s) => s !== 201 && s !== 429)).toEqual([]);
    expect(accepted).toHaveLength(concurrentRuns);
    expect(refused).toHaveLength(100 - concurrentRuns);
    for (const r of refused) expect(r.body!.error).toMatchObject({ code: "rate_limited", details: { dimension: "concurrent_runs", limit: concurrentRuns } });
    expect(await slot(owner.workspace.id)).toBe(concurrentRuns);
    expect(await live(owner.workspace.id)).toBe(concurrentRuns);
    const holds = await db.transfer.aggregate({ where: { workspaceId: owner.workspace.id, kind: "PENDING", reason: "run_charge" }, _sum: { amountMicros: true }, _count: true });
    expect(holds._count).toBe(concurrentRuns);
    expect(await workspaceBalance(db, owner.workspace.id)).toMatchObject({ pendingDebitsMicros: holds._sum.amountMicros });
    for (const r of accepted) await cancelRun(owner.workspace.id, (r.body as unknown as { id: string }).id, runExecutor());
    expect(await slot(owner.workspace.id)).toBe(0);
  });

  it("racing accepts on one workspace: their jobs' priorities are 0, -1, -2… each once (the slot step counts them), so only a workspace's first run takes the fast lane", async () => {
    const c = await caller("accept-priority", 10);
    const stalled = testExecutor({ works: false });
    await Promise.all(Array.from({ length: 10 }, () => acceptRun(c.principal, body, { executor: stalled })));
    const { queues } = await stalled.config.jobs();
    const rows = await db.$queryRawUnsafe<{ priority: number }[]>(`SELECT priority FROM "${env().AGORA_JOBS_SCHEMA}".job_common WHERE name = ANY($1::text[]) ORDER BY priority DESC`, Object.values(queues));
    expect(rows.map((r) => r.priority)).toEqual(Array.from({ length: 10 }, (_, i) => (i === 0 ? 0 : -i)));
  });

  it("a refused hold leaves nothing: no slot taken, no run, no job (a wallet that cannot cover it)", async () => {
    const c = await caller("accept-broke", 2);
    await setWallet(c.workspace.id, FEE - 1n);
    const stalled = testExecutor({ works: false });
    const err = await acceptRun(c.principal, body, { executor: stalled }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "insufficient_credits", status: 402, details: { neededMicros: Number(FEE), availableMicros: Number(FEE - 1n), topUpUrl: "/billing" } });
    expect(await slot(c.workspace.id)).toBe(0);
    expect(await db.run.count({ where: { workspaceId: c.workspace.id } })).toBe(0);
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: 0n, heldMicros: 0n }); // reserved before the wallet refused, taken back
    expect(await jobsOf(stalled)).toEqual([]);
  });

  it("METERED: refused without a spend cap (nothing written); with one, the hold is on stripe_clearing and the wallet is untouched", async () => {
    const c = await caller("accept-metered", 2);
    await db.workspace.update({ where: { id: c.workspace.id }, data: { paymentMode: "METERED" } });
    const metered: RunCaller = { ...c.principal, workspace: { ...c.principal.workspace, paymentMode: "METERED" } };
    const stalled = testExecutor({ works: false });
    const err = await acceptRun(metered, body, { executor: stalled }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "spend_cap_reached", status: 402, message: "A metered workspace needs a monthly spend cap before it can run agents: set one on the Workspace page.", details: { neededMicros: Number(FEE), capMicros: null } });
    expect(await slot(c.workspace.id)).toBe(0);
    expect(await db.run.count({ where: { workspaceId: c.workspace.id } })).toBe(0);
    await db.workspace.update({ where: { id: c.workspace.id }, data: { monthlySpendCapMicros: 10n * FEE } });
    const before = await workspaceBalance(db, c.workspace.id);
    const { run } = await acceptRun(metered, body, { executor: stalled });
    expect(await db.transfer.findMany({ where: { runId: run.id }, select: { kind: true, debitAccountId: true, amountMicros: true } })).toEqual([{ kind: "PENDING", debitAccountId: SYSTEM_ACCOUNTS.stripeClearing, amountMicros: FEE }]);
    expect(await workspaceBalance(db, c.workspace.id)).toEqual(before);
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: 0n, heldMicros: FEE });
    await cancelRun(c.workspace.id, run.id, stalled);
    expect(await slot(c.workspace.id)).toBe(0);
  });

  it("accepting is ONE statement on its own (no BEGIN, no COMMIT): slot, hold, run, first event and job", async () => {
    const c = await caller("accept-count", 5);
    const stalled = testExecutor({ works: false });
    const warm = await acceptRun(c.principal, body, { executor: stalled }); // warms the caches (package, prices, pg-boss's queue)
    const sent: { client: pg.Client; text: string; values: unknown[] }[] = [];
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string; values?: unknown[] };
      sent.push({ client: this, text: typeof q === "string" ? q : q.text, values: (typeof q === "string" ? (args[1] as unknown[] | undefined) : q.values) ?? [] });
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
    const { run } = await acceptRun(c.principal, body, { executor: stalled });
    vi.restoreAllMocks();
    expect(run.id).toMatch(/^c[a-z0-9]{24}$/); // shaped like the schema's other ids (cuid), as run pages' URLs are
    // The statements that wrote this run (pg-boss's own upkeep may run meanwhile, on this process's job engine).
    const writes = sent.filter((s) => s.values.includes(run.id));
    expect(writes).toHaveLength(1);
    for (const step of ['INSERT INTO "RunSlot"', 'UPDATE "LedgerAccount"', 'INSERT INTO "Run"', 'INSERT INTO "RunEvent"', "singleton_key"]) expect(writes[0]!.text).toContain(step);
    expect(sent.filter((s) => s.client === writes[0]!.client && /^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(s.text))).toEqual([]); // its own transaction
    expect(await db.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "QUEUED" });
    expect(await jobsOf(stalled)).toEqual([run.id, warm.run.id].sort());
    for (const id of [warm.run.id, run.id]) await cancelRun(c.workspace.id, id, stalled);
  });
});

describe("a run's slot comes back however it ends", () => {
  it("cancel of a QUEUED run, and a run whose job ran out of resumes (its worker died each time), give the slot back", async () => {
    const c = await caller("slot-end", 2);
    const stalled = testExecutor({ works: false }); // as if every worker died
    const a = (await acceptRun(c.principal, body, { executor: stalled })).run.id;
    const b = (await acceptRun(c.principal, body, { executor: stalled })).run.id;
    expect(await slot(c.workspace.id)).toBe(2);
    await expect(acceptRun(c.principal, body, { executor: stalled })).rejects.toMatchObject({ details: { dimension: "concurrent_runs" } });
    await cancelRun(c.workspace.id, a, stalled);
    expect(await slot(c.workspace.id)).toBe(1);
    await stalled.interrupt(b); // the dead-letter queue's part
    expect(await db.run.findUniqueOrThrow({ where: { id: b } })).toMatchObject({ status: "FAILED", errorCode: "interrupted" });
    expect(await slot(c.workspace.id)).toBe(0);
    expect(await live(c.workspace.id)).toBe(0);
    await stalled.interrupt(b); // ended already: nothing given back twice
    expect(await slot(c.workspace.id)).toBe(0);
  });

  it("a child run takes no slot and gives none back when recovery ends it; its parent keeps its own", async () => {
    const c = await caller("slot-child", 1);
    const stalled = testExecutor({ works: false });
    const parent = (await acceptRun(c.principal, body, { executor: stalled })).run.id;
    const child = (await acceptRun(c.principal, body, { executor: stalled, parent: { id: parent, depth: 0 } })).run.id;
    expect(await slot(c.workspace.id)).toBe(1);
    expect(await recoverOrphanedRuns(db, await stalled.config.jobs(), new Date(Date.now() + 3_600_000))).toContain(child);
    expect(await db.run.findUniqueOrThrow({ where: { id: child } })).toMatchObject({ status: "FAILED", errorCode: "interrupted" });
    expect(await slot(c.workspace.id)).toBe(1);
    expect(await live(c.workspace.id)).toBe(1);
    await cancelRun(c.workspace.id, parent, stalled);
    expect(await slot(c.workspace.id)).toBe(0);
  });
});
