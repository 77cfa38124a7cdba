import { fromPrisma, type Job, type PgBoss } from "pg-boss";
import type { DbTx } from "@/lib/db/client";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";

// Runs as jobs (issue 17). Accepting a run sends its job inside the accept
// transaction (rollback → no job; the run id is the singleton key, so a run is
// never queued twice). Workers claim jobs; a worker that dies stops beating and
// its jobs go back to the queue, to be resumed by another worker from the run's
// event log (lib/runs/resume.ts). After AGORA_JOB_RETRY_LIMIT resumes the job is
// dead-lettered and the run ends FAILED `interrupted`, uncharged.
//
// Queues: one per tier class — pro and enterprise runs never wait behind free
// ones — each with its own worker slots. Fairness inside a queue: a job's
// priority is minus the number of the workspace's runs already live at accept,
// so every workspace's first run is claimed before anyone's second; and each
// worker keeps a fast lane (AGORA_WORKER_FAST_LANE slots) that only takes
// priority-0 jobs, so a workspace's single run starts even while another's
// hundreds fill every main slot.

export type RunJobData = { runId: string };

export type RunQueueClass = "standard" | "priority";
const PRIORITY_TIERS = new Set(["pro", "enterprise"]);
export const runQueueClass = (tierCode: string): RunQueueClass => (PRIORITY_TIERS.has(tierCode) ? "priority" : "standard");

/** What working a run job needs of the executor. */
export type JobExecutor = { execute(runId: string, attempt?: number): Promise<"ended" | "retry">; interrupt(runId: string): Promise<void> };

// Each slot is a fetch loop. A send wakes every loop of its queue (LISTEN/NOTIFY): an idle
// one fetches at once, a busy one as soon as its run ends. While the queue has a backlog a
// loop fetches again straight after each run (burst: the backlog is read from pg-boss's
// stats cache, refreshed every AGORA_JOB_SUPERVISE_SECONDS). Otherwise an idle loop looks
// every 5 s — the floor for jobs no send announced (a crashed worker's, coming back) —
// or every 2 s when NOTIFY is unavailable.
const POLLING = { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5, burstWhenReadyExceeds: 1 } as const;

export type RunQueueSettings = { runTimeoutMs: number; heartbeatSeconds: number; retryLimit: number };

export class RunJobs {
  readonly queues: Record<RunQueueClass, string>;
  readonly deadLetter: string;
  private working = false;

  /** `prefix` keeps several engines apart on one schema (tests); production uses none. */
  constructor(
    readonly boss: PgBoss,
    prefix = "",
  ) {
    this.queues = { standard: `${prefix}runs.standard`, priority: `${prefix}runs.priority` };
    this.deadLetter = `${prefix}runs.interrupted`;
  }

  /** Creates the run queues, or brings their settings up to date (createQueue alone never changes an existing queue). */
  async createQueues(s: RunQueueSettings): Promise<void> {
    await this.boss.createQueue(this.deadLetter, { policy: "standard", notify: true });
    const options = {
      heartbeatSeconds: s.heartbeatSeconds,
      retryLimit: s.retryLimit,
      retryDelay: 1,
      // The expiry guard runs even while heartbeats flow: it must outlast the run's own timeout.
      expireInSeconds: Math.ceil(s.runTimeoutMs / 1000) + 120,
      deadLetter: this.deadLetter,
      notify: true,
    };
    for (const name of Object.values(this.queues)) {
      await this.boss.createQueue(name, { policy: "exclusive", ...options });
      await this.boss.updateQueue(name, options);
    }
  }

  /** Enqueues an accepted run's job in the caller's transaction. `live` = the workspace's runs already queued or running. */
  async send(tx: DbTx, run: { id: string; tierCode: string; live: number }): Promise<void> {
    await this.boss.send(this.queues[runQueueClass(run.tierCode)], { runId: run.id } satisfies RunJobData, { singletonKey: run.id, priority: -run.live, db: fromPrisma(tx) });
  }

  /** Enqueues a run found without a live job (restore from a backup, a run accepted before the engine existed); a no-op when it has one. */
  async resend(run: { id: string; tierCode: string }): Promise<boolean> {
    return (await this.boss.send(this.queues[runQueueClass(run.tierCode)], { runId: run.id } satisfies RunJobData, { singletonKey: run.id })) !== null;
  }

  /** Starts claiming run jobs for `executor`: `concurrency` + `fastLane` slots per queue, and the dead-letter queue. */
  async work(executor: JobExecutor, o: { concurrency: number; fastLane: number }): Promise<void> {
    this.working = true;
    const handle = async ([job]: Job<RunJobData>[]) => {
      if (!job) return;
      if ((await executor.execute(job.data.runId, job.retryCount)) === "retry") {
        // Thrown so pg-boss puts the job back: the next claim resumes the run.
        throw new Error("The run was handed back unfinished; the next attempt resumes it.");
      }
    };
    for (const name of Object.values(this.queues)) {
      await this.boss.work<RunJobData>(name, { ...POLLING, localConcurrency: o.concurrency }, handle);
      if (o.fastLane > 0) await this.boss.work<RunJobData>(name, { ...POLLING, localConcurrency: o.fastLane, minPriority: 0 }, handle);
    }
    await this.boss.work<RunJobData>(this.deadLetter, POLLING, async ([job]) => {
      if (!job) return;
      log.warn("run job out of retries; the run ends interrupted", { runId: job.data.runId });
      metrics().jobFailures.inc({ queue: "runs" });
      await executor.interrupt(job.data.runId);
    });
  }

  /** Stops claiming run jobs (graceful shutdown): runs under way keep going. */
  async stopClaiming(): Promise<void> {
    if (!this.working) return;
    this.working = false;
    for (const name of Object.values(this.queues)) await this.boss.offWork(name, { wait: false });
  }
}
