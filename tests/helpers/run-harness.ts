import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { afterAll, expect, vi } from "vitest";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import type { Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createBoss } from "@/lib/jobs/boss";
import { AnthropicProvider } from "@/lib/llm/anthropic-provider";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { acceptRun } from "@/lib/runs/accept-run";
import { RunExecutor, type ExecutorConfig } from "@/lib/runs/executor";
import { RunJobs, type JobInsert } from "@/lib/runs/run-jobs";
import { stopRunWorker } from "@/lib/runs/run-executor-instance";

// The test file's job engine: real pg-boss on the test database, in the file's
// own schema (tests/setup/test-env.ts names it), stopped after the file. Each
// test executor gets its own run queues on it (a prefix), and works them here.
let fileBoss: Promise<PgBoss> | undefined;
/** Run engines of this file that claim jobs: they stop claiming before the file's engine stops. */
const claiming: RunJobs[] = [];
function testBoss(): Promise<PgBoss> {
  fileBoss ??= (async () => {
    const e = env();
    const boss = createBoss({ connectionString: e.DATABASE_URL, schema: e.AGORA_JOBS_SCHEMA, instanceName: "test", superviseSeconds: e.AGORA_JOB_SUPERVISE_SECONDS });
    await boss.start();
    return boss;
  })();
  return fileBoss;
}
// (Also imported by the app processes of the cross-process tests, outside Vitest: they exit instead.)
if (!process.env.AGORA_TEST_APP_PROCESS) {
  afterAll(async () => {
    for (const jobs of claiming.splice(0)) await jobs.stopClaiming();
    const boss = await fileBoss;
    fileBoss = undefined;
    await boss?.stop({ graceful: true, timeout: 2_000 });
    await stopRunWorker(); // the process's own engine, if a test started it (route handlers, startRunWorker)
  });
}

/** Polls `done` every 20 ms until it holds; fails, saying what it waited for, after `timeoutMs`. */
async function until(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A real executor working its own run queues; `settled()` waits until every run it accepted has ended. */
export class TestExecutor extends RunExecutor {
  private readonly accepted = new Set<string>();

  override async jobInsert(run: Parameters<RunExecutor["jobInsert"]>[0]): Promise<JobInsert> {
    this.accepted.add(run.id);
    return super.jobInsert(run);
  }

  /** Resolves when every run accepted through this executor has ended (or was never committed). */
  async settled(timeoutMs = 60_000): Promise<void> {
    const ids = [...this.accepted];
    await until("every run accepted through this executor has ended", async () => (await getDb().run.count({ where: { id: { in: ids }, status: { in: ["QUEUED", "RUNNING"] } } })) === 0, timeoutMs);
    await this.idle();
    await (await this.config.jobs()).settled(); // their jobs completed too
  }
}

/**
 * A real executor on the test database and the file's job engine; Anthropic (real SDK) points at `anthropicUrl` when given.
 * `works: false` only enqueues — its runs wait, as if every worker were down. `pollMs`: how often its queues are polled
 * besides the wake-ups of runs accepted here (default 1 s).
 */
export function testExecutor(opts: Partial<Omit<ExecutorConfig, "anthropic" | "jobs">> & { anthropicUrl?: string; concurrency?: number; works?: boolean; pollMs?: number } = {}): TestExecutor {
  const { anthropicUrl, concurrency = 8, works = true, pollMs, ...over } = opts;
  let jobs: Promise<RunJobs> | undefined;
  const executor: TestExecutor = new TestExecutor({
    db: getDb(),
    anthropic: anthropicUrl ? new AnthropicProvider({ apiKey: "sk-ant-test-key-not-real", baseURL: anthropicUrl, timeoutMs: 10_000 }) : null,
    breaker: new CircuitBreaker("anthropic", { failureThreshold: 5, cooldownMs: 60_000 }),
    retryPolicy: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50 },
    timeoutMs: 30_000, // a run's wall clock: roomy on a loaded machine (tests of the timeout set their own)
    leaseMs: 30_000,
    maxTurns: 6,
    ...over,
    jobs: () =>
      (jobs ??= (async () => {
        const j = new RunJobs(await testBoss(), `t${randomUUID().slice(0, 8)}.`);
        await j.createQueues({ runTimeoutMs: executor.config.timeoutMs, heartbeatSeconds: 10, retryLimit: 2 });
        if (works) {
          await j.work(executor, { concurrency, fastLane: 1, pollMs });
          claiming.push(j);
        }
        return j;
      })()),
  });
  return executor;
}

/** Waits until a workspace has no run queued or running (executed by the process's own run worker). */
export async function workspaceSettled(workspaceId: string, timeoutMs = 60_000): Promise<void> {
  await until("the workspace has no run queued or running", async () => (await getDb().run.count({ where: { workspaceId, status: { in: ["QUEUED", "RUNNING"] } } })) === 0, timeoutMs);
}

export const scannerInput = securityScanner.exampleInput;

/** A schema-valid Security Scanner answer, as the model would write it. */
export const scannerAnswer = (findings: unknown[] = []) =>
  JSON.stringify({ summary: `${findings.length} finding(s).`, counts: { critical: 0, high: findings.length, medium: 0, low: 0 }, findings });

/** Accepts a run (Security Scanner unless told) and waits for the executor to finish it. */
export async function runToEnd(executor: TestExecutor, principal: Principal, input: object = scannerInput, agent = "security-scanner") {
  const { run } = await acceptRun(principal, { agent, input }, { executor });
  await executor.settled();
  return loadRun(run.id);
}

export async function loadRun(runId: string) {
  const db = getDb();
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  const events = await db.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
  return { run, events, types: events.map((e) => e.type) };
}

/** Waits (10 s at most, failing loudly) until a run has streamed text to its event log: its model stream is open and has reported usage. */
export async function waitForStreamedText(runId: string): Promise<void> {
  await vi.waitFor(async () => expect(await getDb().runEvent.count({ where: { runId, type: "text" } })).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
}
