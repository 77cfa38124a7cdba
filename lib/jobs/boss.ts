import { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";

// The job engine: pg-boss on the same PostgreSQL (its own schema, AGORA_JOBS_SCHEMA),
// with its own small pool — pg-boss creates and migrates its schema with
// multi-statement DDL, which the Prisma pool cannot run. One instance per process,
// whatever the role: a web process needs it to send (pg-boss reads its queue cache),
// a worker to work. What runs on it is listed in lib/jobs/registry.ts.

export type BossOptions = { connectionString: string; schema: string; instanceName: string; superviseSeconds: number; cronSeconds?: number };

export function createBoss(o: BossOptions): PgBoss {
  const boss = new PgBoss({
    connectionString: o.connectionString,
    schema: o.schema,
    // Run-queue fetches, completions and heartbeats (one dispatcher per queue, lib/runs/run-jobs.ts) and background jobs share it.
    max: 10,
    application_name: `agora-jobs-${o.instanceName}`,
    // The engine's own writes (claims, completions, heartbeats, maintenance) commit without waiting for
    // the WAL flush: a PostgreSQL crash may lose the last moments of job state, which is harmless here —
    // a claim lost is claimed again and fenced by Run.attempt, a completion lost lapses and finds the run
    // ended. A run's job is sent in the accept transaction (Prisma's pool), which commits durably.
    options: "-c synchronous_commit=off",
    instanceName: o.instanceName,
    // Workers wake the moment a job is sent (one LISTEN connection per instance); polling stays as the floor.
    useListenNotify: true,
    // A worker killed mid-job is noticed at the first supervision pass after its heartbeat lapses.
    superviseIntervalSeconds: o.superviseSeconds,
    monitorIntervalSeconds: o.superviseSeconds,
    queueCacheIntervalSeconds: o.superviseSeconds, // the backlog a worker bursts on (lib/runs/run-jobs.ts)
    instanceHeartbeatSeconds: Math.max(o.superviseSeconds, 2), // the admin Health page's list of processes and their busy slots
    // How often an instance looks for a schedule's due occurrence (one instance claims each pass) and forwards it.
    ...(o.cronSeconds ? { cronMonitorIntervalSeconds: o.cronSeconds, cronWorkerIntervalSeconds: o.cronSeconds } : {}),
    openTelemetry: { enabled: false }, // our spans (lib/observability/tracing.ts) cover runs and jobs
  });
  // Pool errors are emitted, not thrown: without a listener a dropped connection would crash the process.
  boss.on("error", (err: Error) => log.warn("job engine error", { err: err.message }));
  return boss;
}

const globalForBoss = globalThis as unknown as { agoraBoss?: { boss: PgBoss; started: Promise<PgBoss> } };

/** The process's engine, started (schema created or migrated) on first use. */
export function jobBoss(): Promise<PgBoss> {
  if (!globalForBoss.agoraBoss) {
    const e = env();
    const boss = createBoss({ connectionString: e.DATABASE_URL, schema: e.AGORA_JOBS_SCHEMA, instanceName: e.AGORA_ROLE, superviseSeconds: e.AGORA_JOB_SUPERVISE_SECONDS, cronSeconds: e.AGORA_JOB_CRON_SECONDS });
    const started = boss.start().then(() => boss);
    globalForBoss.agoraBoss = { boss, started };
    started.catch(() => (globalForBoss.agoraBoss = undefined)); // the next caller tries again
  }
  return globalForBoss.agoraBoss.started;
}

/** The process's engine if something started it (the app, a worker), without starting one; null otherwise (unit tests, scripts). */
export function runningJobBoss(): Promise<PgBoss> | null {
  return globalForBoss.agoraBoss?.started ?? null;
}

/** Stops this process's engine: no new claims; work under way gets `timeoutMs`, then is handed back. */
export async function stopJobBoss(timeoutMs: number): Promise<void> {
  const current = globalForBoss.agoraBoss;
  globalForBoss.agoraBoss = undefined;
  if (current) await (await current.started.catch(() => undefined))?.stop({ graceful: true, timeout: timeoutMs });
}
