import type { Job, PgBoss } from "pg-boss";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import type { PriceTerms, ProviderTerms } from "./outcome";
import { runNotifications } from "./run-notifications";

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
export type RunJobData = { runId: string; terms?: { baseFeeMicros: string; priceMultiplierBps: number; provider?: ProviderTerms } };

const termsOf = (data: RunJobData): PriceTerms | undefined =>
  data.terms && { ...data.terms, baseFeeMicros: BigInt(data.terms.baseFeeMicros) };

export type RunQueueClass = "standard" | "priority";
const PRIORITY_TIERS = new Set(["pro", "enterprise"]);
export const runQueueClass = (tierCode: string): RunQueueClass => (PRIORITY_TIERS.has(tierCode) ? "priority" : "standard");

/** What working a run job needs of the executor. */
export type JobExecutor = { execute(runId: string, attempt?: number, terms?: PriceTerms): Promise<"ended" | "retry">; interrupt(runId: string): Promise<void> };

// Claiming: one dispatcher per run queue and process (RunQueueDispatcher below), not a pg-boss
// work() loop per slot. A fetch asks for as many jobs as there are idle slots, and a slot that
// frees up does not fetch on its own: a dispatcher fetches when it is told there is work (a run
// accepted by this process or announced by another — lib/runs/run-notifications.ts — or its last
// fetch came back full: there may be more), and otherwise polls (AGORA_WORKER_POLL_MS). So a
// run costs one fetch, not the three of a slot loop (its own, a woken sibling's and the one after
// it ends, mostly empty), completions that end together share one statement, and one heartbeat
// statement covers every job in hand.
// (pg-boss's NOTIFY would wake every idle worker of a queue per job sent: run queues go without.)

/** A job insert as SQL: `text` has one parameter, $1 (the job as JSON). */
export type JobInsert = { text: string; values: unknown[] };

export type RunQueueSettings = { runTimeoutMs: number; heartbeatSeconds: number; retryLimit: number };

export class RunJobs {
  readonly queues: Record<RunQueueClass, string>;
  readonly deadLetter: string;
  private dispatchers: Partial<Record<RunQueueClass, RunQueueDispatcher>> = {};
  private heartbeatSeconds = 60;

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
    this.heartbeatSeconds = s.heartbeatSeconds;
    await this.boss.createQueue(this.deadLetter, { policy: "standard" });
    const options = {
      heartbeatSeconds: s.heartbeatSeconds,
      retryLimit: s.retryLimit,
      retryDelay: 1,
      // The expiry guard runs even while heartbeats flow: it must outlast the run's own timeout.
      expireInSeconds: Math.ceil(s.runTimeoutMs / 1000) + 120,
      deadLetter: this.deadLetter,
      notify: false, // see "Claiming"
    };
    for (const name of Object.values(this.queues)) {
      await this.boss.createQueue(name, { policy: "exclusive", ...options });
      await this.boss.updateQueue(name, options);
    }
  }

  /**
   * pg-boss's insert of an accepted run's job, as SQL for the caller to send: the accept statement runs it as one of
   * its steps (lib/runs/accept-run.ts). pg-boss builds it through its `db` option, which here records the statement
   * instead of sending it. Its one parameter is the job as JSON (`[{…, "priority": 0}]`): the accept statement sets
   * the priority from the workspace's runs live before this one, as its RunSlot step counted them.
   */
  async sendStatement(run: { id: string; tierCode: string; terms: PriceTerms }): Promise<JobInsert> {
    const data: RunJobData = { runId: run.id, terms: { ...run.terms, baseFeeMicros: String(run.terms.baseFeeMicros) } };
    let insert: JobInsert | undefined;
    const db = {
      executeSql: async (text: string, values: unknown[] = []) => {
        insert = { text, values };
        return { rows: [{ id: run.id }] };
      },
    };
    await this.boss.send(this.queues[runQueueClass(run.tierCode)], data, { singletonKey: run.id, priority: 0, db });
    if (!insert || insert.values.length !== 1 || /\$(?!1\b)\d/.test(insert.text)) throw new Error("pg-boss's job insert is no longer one statement with one parameter ($1): lib/runs/accept-run.ts embeds it as such.");
    return insert;
  }

  /** Enqueues a run found without a live job (restore from a backup, a run accepted before the engine existed); a no-op when it has one. */
  async resend(run: { id: string; tierCode: string }): Promise<boolean> {
    return (await this.boss.send(this.queues[runQueueClass(run.tierCode)], { runId: run.id } satisfies RunJobData, { singletonKey: run.id })) !== null;
  }

  /** Starts claiming run jobs for `executor`: `concurrency` + `fastLane` slots per queue (polled every `pollMs`), and the dead-letter queue. */
  async work(executor: JobExecutor, o: { concurrency: number; fastLane: number; pollMs?: number }): Promise<void> {
    for (const cls of ["standard", "priority"] as const) {
      this.dispatchers[cls] ??= new RunQueueDispatcher(this.boss, this.queues[cls], executor, { slots: o.concurrency, fastLane: o.fastLane, pollMs: o.pollMs ?? 1_000, heartbeatMs: (this.heartbeatSeconds * 1000) / 2 });
    }
    await this.boss.work<RunJobData>(this.deadLetter, { pollingIntervalSeconds: 2 }, async ([job]) => {
      if (!job) return;
      log.warn("run job out of retries; the run ends interrupted", { runId: job.data.runId });
      metrics().jobFailures.inc({ queue: "runs" });
      await executor.interrupt(job.data.runId);
    });
  }

  /**
   * After a run was accepted here: this process's dispatcher for its queue fetches now rather than at
   * its next poll; a process that does not work the queue (role `web`) tells those that do.
   */
  wake(queue: RunQueueClass): void {
    const dispatcher = this.dispatchers[queue];
    if (dispatcher) dispatcher.wake();
    else runNotifications().announceJob(this.queues[queue]);
  }

  /** Another process announced a job on `name`: this process's dispatcher for it, if any, fetches now. */
  wakeQueue(name: string): void {
    for (const cls of ["standard", "priority"] as const) if (this.queues[cls] === name) this.dispatchers[cls]?.wake();
  }

  /** Stops claiming run jobs (graceful shutdown): runs under way keep going, and keep their jobs beating. */
  async stopClaiming(): Promise<void> {
    await this.boss.offWork(this.deadLetter, { wait: false });
    await Promise.all(Object.values(this.dispatchers).map((d) => d.stopClaiming()));
  }

  /** Resolves when every job claimed here has been settled with pg-boss (after the executor is idle: drain, tests). */
  async settled(): Promise<void> {
    await Promise.all(Object.values(this.dispatchers).map((d) => d.settled()));
  }
}

/**
 * Claims one run queue's jobs for this process's slots (see "Claiming" above): `slots` for any
 * job, plus a fast lane of `fastLane` slots that only takes priority-0 jobs (a workspace's first
 * live run), so that run starts even while another workspace's hundreds fill every main slot.
 */
class RunQueueDispatcher {
  private readonly jobs = new Map<string, { job: Job<RunJobData>; done: Promise<void> }>();
  private mainBusy = 0;
  private fastBusy = 0;
  private claiming = true;
  /** Jobs of any priority may be waiting (a local accept, or a fetch that came back full). */
  private more = true;
  /** Priority-0 jobs may be waiting: what the fast lane fetches on. */
  private moreFirst = true;
  private lastPoll = 0;
  private kick: (() => void) | undefined;
  private readonly loop: Promise<void>;
  private heartbeat: NodeJS.Timeout | undefined;
  private completing: Promise<void> | undefined;
  private toComplete: Job<RunJobData>[] = [];

  constructor(
    private readonly boss: PgBoss,
    private readonly queue: string,
    private readonly executor: JobExecutor,
    private readonly o: { slots: number; fastLane: number; pollMs: number; heartbeatMs: number },
  ) {
    this.loop = this.run();
  }

  wake(): void {
    this.more = this.moreFirst = true;
    this.kick?.();
  }

  async stopClaiming(): Promise<void> {
    this.claiming = false;
    this.kick?.();
    await this.loop;
  }

  async settled(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.done));
    while (this.completing) await this.completing;
  }

  private async run(): Promise<void> {
    while (this.claiming) {
      const idleMain = this.o.slots - this.mainBusy;
      const idleFast = this.o.fastLane - this.fastBusy;
      const pollDue = Date.now() - this.lastPoll >= this.o.pollMs;
      try {
        if (idleMain > 0 && (this.more || pollDue)) {
          await this.fetch(idleMain, "main");
          continue;
        }
        if (idleMain === 0 && idleFast > 0 && (this.moreFirst || pollDue)) {
          await this.fetch(idleFast, "fast");
          continue;
        }
      } catch (err) {
        log.warn("run job fetch failed; trying again at the next poll", { queue: this.queue, err: (err as Error).message });
        this.lastPoll = Date.now();
      }
      // Nothing to do until a wake, a slot freeing up (while work may be waiting), or the next poll.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, this.o.pollMs - (Date.now() - this.lastPoll)));
        timer.unref();
        this.kick = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.kick = undefined;
    }
  }

  private async fetch(batchSize: number, lane: "main" | "fast"): Promise<void> {
    if (lane === "main") this.more = false;
    this.moreFirst = false;
    this.lastPoll = Date.now();
    const jobs = await this.boss.fetch<RunJobData>(this.queue, lane === "main" ? { batchSize } : { batchSize, minPriority: 0 });
    if (jobs.length === batchSize) {
      if (lane === "main") this.more = true;
      this.moreFirst = true;
    }
    for (const job of jobs) this.start(job, lane);
  }

  private start(job: Job<RunJobData>, lane: "main" | "fast"): void {
    if (lane === "main") this.mainBusy++;
    else this.fastBusy++;
    const done = this.executor
      .execute(job.data.runId, job.retryCount, termsOf(job.data))
      .then(
        async (ended) => {
          if (ended === "ended") return this.complete(job);
          // Failed so pg-boss puts the job back: the next claim resumes the run.
          await this.boss.fail(this.queue, job, { message: "The run was handed back unfinished; the next attempt resumes it." });
        },
        async (err: Error) => {
          log.error("run job failed", { queue: this.queue, runId: job.data.runId, err: err.message });
          await this.boss.fail(this.queue, job, { message: err.message });
        },
      )
      .catch((err: Error) => log.warn("run job could not be settled; its heartbeat lapses and it is tried again", { runId: job.data.runId, err: err.message }))
      .finally(() => {
        this.jobs.delete(job.id);
        if (lane === "main") this.mainBusy--;
        else this.fastBusy--;
        if (this.jobs.size === 0) this.stopBeating();
        this.kick?.();
      });
    this.jobs.set(job.id, { job, done });
    this.startBeating();
  }

  /** Completions that end while one is being written go together in the next statement. */
  private complete(job: Job<RunJobData>): Promise<void> {
    this.toComplete.push(job);
    this.completing ??= (async () => {
      try {
        while (this.toComplete.length) await this.boss.complete(this.queue, this.toComplete.splice(0));
      } finally {
        this.completing = undefined;
      }
    })();
    return this.completing;
  }

  /** One statement keeps every job in hand alive; a process that dies stops beating and its jobs are claimed again. */
  private startBeating(): void {
    this.heartbeat ??= setInterval(() => {
      const jobs = [...this.jobs.values()].map((j) => j.job);
      if (jobs.length) this.boss.touch(this.queue, jobs).catch((err: Error) => log.warn("run job heartbeat failed", { queue: this.queue, err: err.message }));
    }, this.o.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopBeating(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
