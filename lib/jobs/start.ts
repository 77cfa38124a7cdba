import type { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { BACKGROUND_JOBS, type BackgroundJob, type JobContext } from "./registry";

// Puts the registry's jobs (lib/jobs/registry.ts) on an engine: its queues
// created or brought up to date, its schedules written (the same rows from
// every process: schedule() replaces), and its handlers worked here.

/** The singleton key a chained job's links and its schedule share: at most one link waits. */
const CHAIN_KEY = "chain";

export async function startBackgroundJobs(boss: PgBoss, ctx: JobContext, jobs: BackgroundJob[] = BACKGROUND_JOBS): Promise<void> {
  const e = env();
  for (const job of jobs) {
    if (job.enabled && !job.enabled(e)) {
      await boss.unschedule(job.name);
      continue;
    }
    await boss.createQueue(job.name, { policy: "stately", ...job.queue });
    await boss.updateQueue(job.name, job.queue);
    const everyMs = job.everyMs?.(e);
    const chain = everyMs ? { singletonKey: CHAIN_KEY } : {};
    await boss.schedule(job.name, job.cron, null, chain);
    await boss.work(job.name, { pollingIntervalSeconds: Math.max(0.5, Math.min(2, (everyMs ?? 2_000) / 1000)) }, async ([claimed]) => {
      if (!claimed) return;
      try {
        await job.run(ctx);
      } catch (err) {
        metrics().jobFailures.inc({ queue: job.name });
        log.error("background job failed", { queue: job.name, err: (err as Error).message });
        throw err;
      } finally {
        if (everyMs) await boss.send(job.name, null, { ...chain, startAfter: new Date(Date.now() + everyMs) });
      }
    });
  }
  log.info("background jobs started", { jobs: jobs.map((j) => j.name) });
}
