// GET /api/metrics — Prometheus text format (SPEC §11); `Authorization: Bearer $METRICS_TOKEN` when it is set (always in production)
import { outboxBacklog } from "@/lib/billing/outbox";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { jobEngineStatus } from "@/lib/jobs/status";
import { errorBody, ApiError } from "@/lib/http/errors";
import { json } from "@/lib/http/route";
import { breakerValue, metrics } from "@/lib/observability/metrics";
import { hasOpsToken } from "@/lib/observability/ops-token";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export async function GET(req: Request): Promise<Response> {
  if (env().METRICS_TOKEN && !hasOpsToken(req)) {
    return json(errorBody(new ApiError("unauthenticated", "Send `Authorization: Bearer <METRICS_TOKEN>`.")), 401, { "www-authenticate": "Bearer" });
  }
  const m = metrics();
  // Gauges read at scrape time.
  const executor = runExecutor();
  m.breaker.set({ provider: executor.config.breaker.provider }, breakerValue[executor.config.breaker.current()]);
  m.outboxPending.set(await outboxBacklog(db).then((b) => b.pending, () => -1));
  const jobs = await jobEngineStatus().catch(() => null);
  for (const q of jobs?.queues ?? []) {
    m.jobQueueDepth.set({ queue: q.name }, q.waiting);
    m.jobActive.set({ queue: q.name }, q.active);
  }
  return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType, "cache-control": "no-store" } });
}
