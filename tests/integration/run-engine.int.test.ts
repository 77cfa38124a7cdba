import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { principalFromUser } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { runExecutor, startRunWorker } from "@/lib/runs/run-executor-instance";
import { startFakeAnthropic, type FakeReply } from "../fakes/anthropic-server";
import { killAppProcesses, startAppProcess } from "../helpers/app-process";
import { createUser, setWallet } from "../helpers/factories";
import { scannerAnswer, scannerInput } from "../helpers/run-harness";

// The run engine across processes (issue 17): this process is the web role
// (accepts, sends run jobs in the accept transaction); workers are separate
// OS processes (tests/helpers/run-process.ts "worker": the server's own run
// worker, as `npm run worker` starts it) on the same database and job schema.

// Two model endpoints, so that one worker's runs can be made to hang mid-run:
// both ask for a tool first; once the conversation holds its result, `answers`
// finishes the run and `hangs` never does.
const answers = await startFakeAnthropic();
const hangs = await startFakeAnthropic();
const hasToolResult = (body: Record<string, unknown>) => JSON.stringify(body.messages ?? []).includes('"tool_result"');
const toolTurn: FakeReply = { kind: "message", blocks: [{ type: "tool_use", name: "scan_secrets", input: scannerInput }], stopReason: "tool_use" };
const answer: FakeReply = { kind: "message", blocks: [{ type: "text", text: scannerAnswer() }] };
answers.scriptBy((body) => (hasToolResult(body) ? answer : toolTurn));
// Its tool calls carry ids of their own, so the runs that worker held are known afterwards.
hangs.scriptBy((body) =>
  hasToolResult(body) ? { kind: "stall", blocks: [{ type: "text", text: "thinking…" }] } : { ...toolTurn, blocks: [{ type: "tool_use", id: `toolu_hang_${randomUUID()}`, name: "scan_secrets", input: scannerInput }] },
);

// The web role accepts runs for the Anthropic provider (the workers bring their own endpoint).
process.env.ANTHROPIC_API_KEY = "sk-ant-test-key-not-real";
process.env.ANTHROPIC_BASE_URL = answers.url;
await startRunWorker("web");

afterEach(killAppProcesses);
afterAll(async () => {
  await answers.close();
  await hangs.close();
});

const db = getDb();
const worker = (url: string, concurrency = 4) => startAppProcess(["worker"], { ANTHROPIC_API_KEY: "sk-ant-test-key-not-real", ANTHROPIC_BASE_URL: url, AGORA_WORKER_CONCURRENCY: String(concurrency) });

/** A tier of its own (test data: seeded tiers are not edited), so its workspaces may hold hundreds of live runs. */
async function bulkTier() {
  const code = `bulk-${randomUUID().slice(0, 8)}`;
  await db.tier.create({ data: { code, name: code, sortOrder: 1_000, requestsPerMinute: 100_000, runsPerHour: 100_000, concurrentRuns: 1_000, tokensPerDay: 10_000_000_000n, priceMultiplierBps: 12_000 } });
  return code;
}

async function customer(label: string, tierCode: string) {
  const { user, workspace } = await createUser(label);
  await db.workspace.update({ where: { id: workspace.id }, data: { tierCode } });
  await setWallet(workspace.id, 1_000_000_000n);
  return { workspaceId: workspace.id, principal: await principalFromUser(user.id) };
}

const accept = (principal: Awaited<ReturnType<typeof customer>>["principal"]) => acceptRun(principal, { agent: "security-scanner", input: scannerInput }, { executor: runExecutor() }).then((r) => r.run.id);

async function eventTypes(runId: string) {
  return (await db.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { type: true, data: true } })).map((e) => ({ type: e.type, status: (e.data as { status?: string }).status }));
}

describe("runs on the job engine, across processes", () => {
  it("200 runs from 4 workspaces, two workers, one SIGKILLed mid-way: every run succeeds, charged once, the killed worker's runs resumed, no tool call run twice", async () => {
    expect(runExecutor().providerName).toBe("anthropic");
    const tier = await bulkTier();
    const customers = await Promise.all([0, 1, 2, 3].map((i) => customer(`engine-${i}`, tier)));
    const doomed = worker(hangs.url);
    const survivor = worker(answers.url, 8);
    await Promise.all([doomed.printed("ready"), survivor.printed("ready")]);

    const ids: string[] = [];
    for (let i = 0; i < 200; i += 8) ids.push(...(await Promise.all(customers.map((c) => [accept(c.principal), accept(c.principal)]).flat())));
    expect(new Set(ids).size).toBe(200);

    // The doomed worker's runs hang after their tool call (its tool-call ids say so); the survivor finishes the rest.
    const hanging = async () =>
      (await db.runEvent.findMany({ where: { runId: { in: ids }, type: "tool_call" }, select: { runId: true, data: true } }))
        .filter((e) => String((e.data as { id?: string }).id).startsWith("toolu_hang_"))
        .map((e) => e.runId);
    const answered = async (runIds: string[]) => db.runEvent.count({ where: { runId: { in: runIds }, type: "tool_result" } });
    await vi.waitFor(async () => expect(await answered(await hanging())).toBeGreaterThanOrEqual(3), { timeout: 60_000, interval: 100 });
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const killedAt = Date.now();

    await vi.waitFor(async () => expect(await db.run.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })).toBe(200), { timeout: 240_000, interval: 250 });
    const held = await hanging();
    console.log(`run engine: the killed worker's ${held.length} runs resumed and all 200 succeeded ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);

    for (const id of ids) {
      const types = await eventTypes(id);
      expect(types.filter((t) => t.type === "tool_result"), `${id}: tool results`).toHaveLength(1); // no tool call ran twice
      expect(types.filter((t) => t.type === "status" && t.status === "SUCCEEDED"), `${id}: endings`).toHaveLength(1); // ended once
      expect(types.at(-1)!.type).toBe("usage");
      const resumes = types.filter((t) => t.type === "resumed").length;
      // The killed worker's runs were taken up again, once; a run it had claimed but not yet asked the model about may be too.
      if (held.includes(id)) expect(resumes, `${id}: resumes`).toBe(1);
      else expect(resumes, `${id}: resumes`).toBeLessThanOrEqual(1);
    }
    // Charged exactly once: one hold per run, posted once, for the run's price.
    const holds = await db.transfer.findMany({ where: { runId: { in: ids }, kind: "PENDING" }, select: { runId: true, resolution: { select: { kind: true, amountMicros: true } } } });
    expect(holds).toHaveLength(200);
    expect(holds.every((h) => h.resolution?.kind === "POST_PENDING")).toBe(true);
    const prices = new Map((await db.run.findMany({ where: { id: { in: ids } }, select: { id: true, priceMicros: true } })).map((r) => [r.id, r.priceMicros]));
    for (const h of holds) expect(h.resolution!.amountMicros).toBe(prices.get(h.runId!));
    expect(await checkLedgerInvariants(db)).toEqual([]);
    survivor.child.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);
  }, 400_000);

  it("fairness: workspace A enqueues 300 runs, then B one — B's starts within 5 s", async () => {
    const tier = await bulkTier();
    const [a, b] = await Promise.all([customer("fair-a", tier), customer("fair-b", tier)]);
    // Every run of A takes its worker ~2 s: 300 of them are minutes of work for 4 slots.
    const slow = await startFakeAnthropic();
    slow.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], delayMs: 150 });
    const w = worker(slow.url);
    await w.printed("ready");
    for (let i = 0; i < 300; i += 10) await Promise.all(Array.from({ length: 10 }, () => accept(a.principal)));
    const bRun = await accept(b.principal);
    await vi.waitFor(async () => expect((await db.run.findUniqueOrThrow({ where: { id: bRun } })).startedAt).not.toBeNull(), { timeout: 30_000, interval: 50 });
    const run = await db.run.findUniqueOrThrow({ where: { id: bRun } });
    const waited = run.startedAt!.getTime() - run.createdAt.getTime();
    const aWaiting = await db.run.count({ where: { workspaceId: a.workspaceId, status: "QUEUED" } });
    console.log(`fairness: B's run started ${waited} ms after it was accepted, with ${aWaiting} of A's runs still queued`);
    expect(aWaiting).toBeGreaterThan(200); // A's backlog was really there
    expect(waited).toBeLessThan(5_000);
    w.child.kill("SIGKILL");
    await slow.close();
  }, 180_000);

  it("a run accepted by the web process starts on a worker at once (announced), not at the worker's next poll", async () => {
    const tier = await bulkTier();
    const c = await customer("engine-announce", tier);
    // The worker would look for unannounced jobs only once a minute: the run must start long before that.
    const w = startAppProcess(["worker"], { ANTHROPIC_API_KEY: "sk-ant-test-key-not-real", ANTHROPIC_BASE_URL: answers.url, AGORA_WORKER_CONCURRENCY: "2", AGORA_WORKER_POLL_MS: "60000" });
    await w.printed("ready");
    const id = await accept(c.principal);
    await vi.waitFor(async () => expect((await db.run.findUniqueOrThrow({ where: { id } })).status).toBe("SUCCEEDED"), { timeout: 20_000, interval: 50 });
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
  }, 60_000);

  it("a cancel from the web process stops a run a worker process holds", async () => {
    const tier = await bulkTier();
    const c = await customer("engine-cancel", tier);
    const w = worker(hangs.url);
    await w.printed("ready");
    const id = await accept(c.principal);
    await vi.waitFor(async () => expect(await db.runEvent.count({ where: { runId: id, type: "tool_result" } })).toBe(1), { timeout: 30_000, interval: 50 });
    await cancelRun(c.workspaceId, id, runExecutor());
    await vi.waitFor(async () => expect((await db.run.findUniqueOrThrow({ where: { id } })).status).toBe("CANCELED"), { timeout: 10_000, interval: 50 });
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
  }, 90_000);

  it("npm run worker (scripts/worker.ts): executes runs; on SIGTERM hands the one in flight back and exits 0; another worker finishes it", async () => {
    const tier = await bulkTier();
    const c = await customer("engine-script", tier);
    const script = startAppProcess([], { ANTHROPIC_API_KEY: "sk-ant-test-key-not-real", ANTHROPIC_BASE_URL: hangs.url, AGORA_SHUTDOWN_GRACE_MS: "500", AGORA_LOG_LEVEL: "info" }, path.join(process.cwd(), "scripts", "worker.ts"));
    await script.printed(/"msg":"worker ready"/);
    const id = await accept(c.principal);
    await vi.waitFor(async () => expect(await db.runEvent.count({ where: { runId: id, type: "tool_result" } })).toBe(1), { timeout: 30_000, interval: 50 });
    script.child.kill("SIGTERM");
    expect(await script.exited, script.stderr()).toBe(0);
    expect(script.stdout()).toContain('"runsHandedBack":1');
    expect((await db.run.findUniqueOrThrow({ where: { id } })).status).toBe("RUNNING");

    const w = worker(answers.url);
    await w.printed("ready");
    await vi.waitFor(async () => expect((await db.run.findUniqueOrThrow({ where: { id } })).status).toBe("SUCCEEDED"), { timeout: 30_000, interval: 100 });
    const types = (await eventTypes(id)).map((t) => t.type);
    expect(types.filter((t) => t === "tool_result")).toHaveLength(1);
    expect(types.filter((t) => t === "resumed")).toHaveLength(1);
  }, 120_000);
});
