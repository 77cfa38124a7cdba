import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { jobBoss, stopJobBoss } from "@/lib/jobs/boss";
import { startBackgroundJobs } from "@/lib/jobs/start";
import { AnthropicProvider } from "@/lib/llm/anthropic-provider";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { defaultRetryPolicy } from "@/lib/llm/retry-policy";
import { log } from "@/lib/observability/log";
import { RunExecutor } from "./executor";
import { recoverOrphanedRuns } from "./recover-runs";
import { RunJobs } from "./run-jobs";
import { runNotifications } from "./run-notifications";

// The process's run engine, configured from the environment. Every role sends
// run jobs (accept); `all` and `worker` also claim and execute them, recover
// orphaned child runs and re-enqueue runs found without a job (at start, then
// the `runs.recover` job), run the background jobs (lib/jobs/registry.ts), and
// listen for cancel requests from other processes.

const globalForExecutor = globalThis as unknown as { agoraExecutor?: RunExecutor; agoraRunJobs?: Promise<RunJobs>; agoraWorking?: boolean };

/** The run queues on this process's job engine, created (or updated) on first use. */
export function runJobs(): Promise<RunJobs> {
  if (!globalForExecutor.agoraRunJobs) {
    const e = env();
    const created = (async () => {
      const jobs = new RunJobs(await jobBoss());
      await jobs.createQueues({ runTimeoutMs: e.AGORA_RUN_TIMEOUT_MS, heartbeatSeconds: e.AGORA_JOB_HEARTBEAT_SECONDS, retryLimit: e.AGORA_JOB_RETRY_LIMIT });
      return jobs;
    })();
    globalForExecutor.agoraRunJobs = created;
    created.catch(() => (globalForExecutor.agoraRunJobs = undefined)); // the next caller tries again
  }
  return globalForExecutor.agoraRunJobs;
}

export function runExecutor(): RunExecutor {
  if (!globalForExecutor.agoraExecutor) {
    const e = env();
    const anthropic = e.ANTHROPIC_API_KEY
      ? new AnthropicProvider({ apiKey: e.ANTHROPIC_API_KEY, baseURL: e.ANTHROPIC_BASE_URL, timeoutMs: e.AGORA_RUN_TIMEOUT_MS })
      : null;
    globalForExecutor.agoraExecutor = new RunExecutor({
      db,
      anthropic,
      breaker: new CircuitBreaker("anthropic", { failureThreshold: e.AGORA_BREAKER_FAILURES, cooldownMs: e.AGORA_BREAKER_COOLDOWN_MS }),
      retryPolicy: { ...defaultRetryPolicy, maxRetries: e.AGORA_PROVIDER_MAX_RETRIES, baseDelayMs: e.AGORA_PROVIDER_RETRY_BASE_MS },
      timeoutMs: e.AGORA_RUN_TIMEOUT_MS,
      leaseMs: e.AGORA_RUN_LEASE_MS,
      maxTurns: e.AGORA_RUN_MAX_TURNS,
      jobs: runJobs,
    });
  }
  return globalForExecutor.agoraExecutor;
}

/** Called once per process (instrumentation.ts, scripts/worker.ts): the engine for every role, the run worker unless `web`. */
export async function startRunWorker(role = env().AGORA_ROLE): Promise<void> {
  if (globalForExecutor.agoraWorking) return;
  const jobs = await runJobs();
  if (role === "web") return;
  const e = env();
  const executor = runExecutor();
  globalForExecutor.agoraWorking = true;
  await recoverOrphanedRuns(db, jobs).catch((err: Error) => log.error("run recovery failed", { err: err.message }));
  await startBackgroundJobs(jobs.boss, { db, runs: jobs, executor });
  await runNotifications()
    .onCancel((runId) => executor.cancelLocal(runId))
    .catch((err: Error) => log.warn("cancel notifications unavailable; cancels apply at the next lease renewal", { err: err.message }));
  await jobs.work(executor, { concurrency: e.AGORA_WORKER_CONCURRENCY, fastLane: e.AGORA_WORKER_FAST_LANE, pollMs: e.AGORA_WORKER_POLL_MS });
  await runNotifications()
    .onJobs((queue) => jobs.wakeQueue(queue))
    .catch((err: Error) => log.warn("run job notifications unavailable; workers poll", { err: err.message }));
  log.info("run worker started", { role, concurrency: e.AGORA_WORKER_CONCURRENCY, fastLane: e.AGORA_WORKER_FAST_LANE });
}

/** Graceful shutdown's part: stop claiming runs, give those under way `graceMs`, hand the rest back to the queue. */
export async function drainRunWorker(graceMs: number): Promise<{ finished: number; handedBack: number }> {
  const jobs = await globalForExecutor.agoraRunJobs?.catch(() => undefined);
  await jobs?.stopClaiming();
  const drained = await runExecutor().drain(graceMs);
  await jobs?.settled(); // every job's completion or hand-back written before the engine stops
  return drained;
}

/** Stops the job engine (after draining): background jobs under way get a moment to end, then are handed back. */
export async function stopRunWorker(): Promise<void> {
  const jobs = await globalForExecutor.agoraRunJobs?.catch(() => undefined);
  await jobs?.stopClaiming();
  globalForExecutor.agoraRunJobs = undefined;
  globalForExecutor.agoraWorking = undefined;
  await stopJobBoss(2_000);
}
