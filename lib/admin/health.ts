import { outboxBacklog } from "@/lib/billing/outbox";
import { db } from "@/lib/db/client";
import { scheduledJobs } from "./jobs";
import { jobEngineStatus } from "@/lib/jobs/status";
import { readiness } from "@/lib/health/readiness";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { rateLimitStore } from "@/lib/rate-limits/store";
import { runExecutor } from "@/lib/runs/run-executor-instance";

/** What an operator checks first: the database, migrations, the rate-limit store, the provider breaker, the Outbox, the job engine's queues and workers. */
export async function adminHealth() {
  const [ready, outbox, stuck, jobs] = await Promise.all([
    readiness(),
    outboxBacklog(db),
    db.run.count({ where: { status: "RUNNING", leaseExpiresAt: { lt: new Date() } } }),
    jobEngineStatus().catch(() => null), // the engine unreachable: the page says so
  ]);
  const store = rateLimitStore();
  let rateLimits: { backend: string; ok: boolean; latencyMs: number | null };
  const started = performance.now();
  try {
    await store.limiter(60).get("health:probe");
    rateLimits = { backend: store.backend, ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    rateLimits = { backend: store.backend, ok: false, latencyMs: null };
  }
  const executor = runExecutor();
  return {
    database: ready.database,
    migrations: ready.migrations,
    rateLimits,
    provider: { name: executor.providerName, breaker: executor.config.breaker.current() },
    outbox,
    runsPastLease: stuck,
    jobs,
    scheduled: scheduledJobs(),
  };
}

/** The ledger's invariants (SPEC §4, §13), checked now (on demand: it reads every transfer). */
export async function adminLedgerCheck() {
  const started = performance.now();
  const violations = await checkLedgerInvariants(db);
  return { ok: violations.length === 0, violations, tookMs: Math.round(performance.now() - started), checkedAt: new Date().toISOString() };
}

/** How long /api/health reuses a ledger check: probes come every few seconds, and the check reads every transfer. */
export const LEDGER_CHECK_TTL_MS = 5 * 60_000;
let lastCheck: { at: number; result: Promise<Awaited<ReturnType<typeof adminLedgerCheck>>> } | undefined;

/** The latest ledger check, run again when older than LEDGER_CHECK_TTL_MS (concurrent probes share one run). */
export function recentLedgerCheck(now = Date.now()) {
  if (!lastCheck || now - lastCheck.at > LEDGER_CHECK_TTL_MS) {
    const result = adminLedgerCheck();
    lastCheck = { at: now, result };
    result.catch(() => (lastCheck = undefined)); // a failed check is retried at the next probe
  }
  return lastCheck.result;
}
