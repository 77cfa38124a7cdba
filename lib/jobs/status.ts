import { jobBoss } from "./boss";

// What the job engine looks like right now, for operators: every queue's
// backlog and work in hand, and every process registered with the engine
// (web or worker) and whether it executes runs. Read from pg-boss's own registry
// and stats (GET /api/v1/admin/health, GET /api/metrics). Run slots are claimed by
// our own dispatchers (lib/runs/run-jobs.ts), which pg-boss's registry does not
// see; a process that executes runs works their dead-letter queue, which it does.

/** The run dead-letter queue's name (lib/runs/run-jobs.ts), with an engine's prefix or none. */
const RUN_DEAD_LETTER = /(^|\.)runs\.interrupted$/;

export async function jobEngineStatus() {
  const boss = await jobBoss();
  const [queues, instances] = await Promise.all([boss.getQueues(), boss.getInstances()]);
  const now = Date.now();
  return {
    queues: queues
      .filter((q) => !q.name.startsWith("__pgboss"))
      .map((q) => ({ name: q.name, policy: q.policy ?? "standard", waiting: q.queuedCount, active: q.activeCount, deferred: q.deferredCount, failed: q.failedCount }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    workers: instances
      // A process that stopped, or went quiet for three heartbeats (a crash), is not listed.
      .filter((i) => !i.stoppedOn && now - new Date(i.heartbeatOn).getTime() < 3 * i.heartbeatSeconds * 1000)
      .map((i) => ({
        role: i.name ?? "unknown",
        host: i.host,
        pid: i.pid,
        startedAt: new Date(i.startedOn).toISOString(),
        executesRuns: i.workers.some((w) => RUN_DEAD_LETTER.test(w.queue)),
      }))
      .sort((a, b) => a.role.localeCompare(b.role) || a.host.localeCompare(b.host) || a.pid - b.pid),
  };
}
