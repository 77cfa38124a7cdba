import { jobBoss } from "./boss";

// What the job engine looks like right now, for operators: every queue's
// backlog and work in hand, and every process registered with the engine
// (web or worker) with its run slots in use. Read from pg-boss's own registry
// and stats (GET /api/v1/admin/health, GET /api/metrics).

/** A run queue's name (lib/runs/run-jobs.ts), with an engine's prefix or none. */
const RUN_QUEUE = /(^|\.)runs\.(standard|priority)$/;

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
        slots: i.workers.filter((w) => RUN_QUEUE.test(w.queue)).reduce((n, w) => n + w.localConcurrency, 0),
        busy: i.workers.filter((w) => RUN_QUEUE.test(w.queue)).reduce((n, w) => n + w.active, 0),
      }))
      .sort((a, b) => a.role.localeCompare(b.role) || a.host.localeCompare(b.host) || a.pid - b.pid),
  };
}
