import { fromPrisma, type Job, type PgBoss } from "pg-boss";
import type { DbTx } from "@/lib/db/client";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import type { PriceTerms } from "./outcome";

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

/** A run job: the run, and its price terms as accepted (so the worker need not read them again to settle). */
export type RunJobData = { runId: string; terms?: { baseFeeMicros: string; priceMultiplierBps: number } };

const termsOf = (data: RunJobData): PriceTerms | undefined =>
  data.terms && { baseFeeMicros: BigInt(data.terms.baseFeeMicros), priceMultiplierBps: data.terms.priceMultiplierBps };

export type RunQueueClass = "standard" | "priority";
const PRIORITY_TIERS = new Set(["pro", "enterprise"]);
export const runQueueClass = (tierCode: string): RunQueueClass => (PRIORITY_TIERS.has(tierCode) ? "priority" : "standard");

/** What working a run job needs of the executor. */
export type JobExecutor = { execute(runId: string, attempt?: number, terms?: PriceTerms): Promise<"ended" | "retry">; interrupt(runId: string): Promise<void> };

// Each slot is a fetch loop of its own (a work() call with one loop), so that one slot can be
// woken alone. pg-boss's NOTIFY would wake every idle loop of a queue on every job sent — with
// 64 slots, 64 fetches per run, most of them finding nothing — so run queues do without it,
// and slots wake each other instead, one at a time:
// - after a run is accepted in a process that works its queue, that process wakes one idle
//   slot (the run starts at once, as in `npm run dev`);
// - a slot that gets a job wakes one idle sibling (there may be more), and a slot that ends a
//   run fetches again straight away, so a backlog drains at the pace of the work, not of polls;
// - the first slot of each queue, and the fast lane, poll every second: a worker finds jobs sent
//   by other processes within a second; the other slots poll every 30 s, as a backstop.
const POLL = { pollingIntervalSeconds: 1 } as const;
const BACKSTOP = { pollingIntervalSeconds: 30 } as const;

type Slot = { id: string; busy: boolean };

export type RunQueueSettings = { runTimeoutMs: number; heartbeatSeconds: number; retryLimit: number };

export class RunJobs {
  readonly queues: Record<RunQueueClass, string>;
  readonly deadLetter: string;
  private working = false;
  private readonly slots: Record<RunQueueClass, Slot[]> = { standard: [], priority: [] };

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
    await this.boss.createQueue(this.deadLetter, { policy: "standard" });
    const options = {
      heartbeatSeconds: s.heartbeatSeconds,
      retryLimit: s.retryLimit,
      retryDelay: 1,
      // The expiry guard runs even while heartbeats flow: it must outlast the run's own timeout.
      expireInSeconds: Math.ceil(s.runTimeoutMs / 1000) + 120,
      deadLetter: this.deadLetter,
      notify: false, // see POLL
    };
    for (const name of Object.values(this.queues)) {
      await this.boss.createQueue(name, { policy: "exclusive", ...options });
      await this.boss.updateQueue(name, options);
    }
  }

  /** Enqueues an accepted run's job in the caller's transaction. `live` = the workspace's runs already queued or running. */
  async send(tx: DbTx, run: { id: string; tierCode: string; live: number; terms: PriceTerms }): Promise<void> {
    const data: RunJobData = { runId: run.id, terms: { baseFeeMicros: String(run.terms.baseFeeMicros), priceMultiplierBps: run.terms.priceMultiplierBps } };
    await this.boss.send(this.queues[runQueueClass(run.tierCode)], data, { singletonKey: run.id, priority: -run.live, db: fromPrisma(tx) });
  }

  /** Enqueues a run found without a live job (restore from a backup, a run accepted before the engine existed); a no-op when it has one. */
  async resend(run: { id: string; tierCode: string }): Promise<boolean> {
    return (await this.boss.send(this.queues[runQueueClass(run.tierCode)], { runId: run.id } satisfies RunJobData, { singletonKey: run.id })) !== null;
  }

  /** Starts claiming run jobs for `executor`: `concurrency` + `fastLane` slots per queue, and the dead-letter queue. */
  async work(executor: JobExecutor, o: { concurrency: number; fastLane: number }): Promise<void> {
    this.working = true;
    for (const cls of ["standard", "priority"] as const) {
      const add = async (options: { pollingIntervalSeconds: number; minPriority?: number }) => {
        const slot: Slot = { id: "", busy: false };
        slot.id = await this.boss.work<RunJobData>(this.queues[cls], options, async ([job]) => {
          if (!job) return;
          slot.busy = true;
          this.wake(cls);
          try {
            if ((await executor.execute(job.data.runId, job.retryCount, termsOf(job.data))) === "retry") {
              // Thrown so pg-boss puts the job back: the next claim resumes the run.
              throw new Error("The run was handed back unfinished; the next attempt resumes it.");
            }
          } finally {
            slot.busy = false;
            this.boss.notifyWorker(slot.id); // fetch again straight away: the queue may hold more
          }
        });
        this.slots[cls].push(slot);
      };
      for (let i = 0; i < o.concurrency; i++) await add(i === 0 ? POLL : BACKSTOP);
      for (let i = 0; i < o.fastLane; i++) await add({ ...POLL, minPriority: 0 });
    }
    await this.boss.work<RunJobData>(this.deadLetter, { pollingIntervalSeconds: 2 }, async ([job]) => {
      if (!job) return;
      log.warn("run job out of retries; the run ends interrupted", { runId: job.data.runId });
      metrics().jobFailures.inc({ queue: "runs" });
      await executor.interrupt(job.data.runId);
    });
  }

  /** One idle slot of the queue (if this process works it) fetches now rather than at its next poll. */
  wake(queue: RunQueueClass): void {
    const slot = this.slots[queue].find((s) => !s.busy);
    if (slot) this.boss.notifyWorker(slot.id);
  }

  /** Stops claiming run jobs (graceful shutdown): runs under way keep going. */
  async stopClaiming(): Promise<void> {
    if (!this.working) return;
    this.working = false;
    this.slots.standard = [];
    this.slots.priority = [];
    for (const name of Object.values(this.queues)) await this.boss.offWork(name, { wait: false });
  }
}
