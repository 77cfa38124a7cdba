import { db } from "@/lib/db/client";
import { readiness } from "@/lib/health/readiness";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { rateLimitStore } from "@/lib/rate-limits/store";
import { runExecutor } from "@/lib/runs/run-executor-instance";

/** What an operator checks first: the database, migrations, the rate-limit store, the provider breaker, the Outbox. */
export async function adminHealth() {
  const [ready, outbox, stuck] = await Promise.all([
    readiness(),
    db.$queryRaw<{ pending: bigint; oldest: Date | null; failed: bigint }[]>`
      SELECT count(*) FILTER (WHERE "sentAt" IS NULL AND "attempts" < 12)::bigint AS pending,
             min("createdAt") FILTER (WHERE "sentAt" IS NULL AND "attempts" < 12) AS oldest,
             count(*) FILTER (WHERE "sentAt" IS NULL AND "attempts" >= 12)::bigint AS failed
      FROM "Outbox"`,
    db.run.count({ where: { status: "RUNNING", leaseExpiresAt: { lt: new Date() } } }),
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
  const o = outbox[0]!;
  return {
    database: ready.database,
    migrations: ready.migrations,
    rateLimits,
    provider: { name: executor.providerName, breaker: executor.config.breaker.current() },
    outbox: { pending: Number(o.pending), oldestPendingAgeSeconds: o.oldest ? Math.round((Date.now() - o.oldest.getTime()) / 1000) : null, gaveUp: Number(o.failed) },
    runsPastLease: stuck,
  };
}

/** The ledger's eight invariants, checked now (on demand: it reads every transfer). */
export async function adminLedgerCheck() {
  const started = performance.now();
  const violations = await checkLedgerInvariants(db);
  return { ok: violations.length === 0, violations, tookMs: Math.round(performance.now() - started) };
}
