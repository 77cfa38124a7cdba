import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

// Prometheus metrics (SPEC §11), one registry per process (kept across dev
// hot reloads). Labels stay low-cardinality: route templates, agent slugs,
// model ids, statuses — never ids, URLs or workspaces.

type Metrics = ReturnType<typeof create>;
const globalForMetrics = globalThis as unknown as { agoraMetrics?: Metrics };

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: "agora_http_requests_total", help: "API requests by route template, method and status", labelNames: ["route", "method", "status"], registers }),
    httpDuration: new Histogram({ name: "agora_http_request_duration_seconds", help: "API request duration", labelNames: ["route", "method"], buckets: SECONDS, registers }),
    runs: new Counter({ name: "agora_runs_total", help: "Finished runs by agent and final status", labelNames: ["agent", "status"], registers }),
    runDuration: new Histogram({ name: "agora_run_duration_seconds", help: "Run duration from start to finish", labelNames: ["agent"], buckets: SECONDS, registers }),
    llmTokens: new Counter({ name: "agora_llm_tokens_total", help: "Model tokens by model and kind (input, output, cache_read, cache_write)", labelNames: ["model", "kind"], registers }),
    llmRequests: new Counter({ name: "agora_llm_requests_total", help: "Model API calls by provider and outcome", labelNames: ["provider", "status"], registers }),
    breaker: new Gauge({ name: "agora_circuit_breaker_state", help: "Provider circuit breaker: 0 closed, 1 half-open, 2 open", labelNames: ["provider"], registers }),
    rateLimited: new Counter({ name: "agora_rate_limited_total", help: "Requests and runs refused by a rate limit, by dimension", labelNames: ["dimension"], registers }),
    ledgerTransfers: new Counter({ name: "agora_ledger_transfers_total", help: "Ledger transfers written, by kind", labelNames: ["kind"], registers }),
    outboxPending: new Gauge({ name: "agora_outbox_pending", help: "Outbox rows waiting to be sent", registers }),
    catalogSearches: new Counter({ name: "agora_catalog_searches_total", help: "Catalog searches", registers }),
    jobQueueDepth: new Gauge({ name: "agora_job_queue_depth", help: "Jobs waiting to be claimed (created or retrying), by queue", labelNames: ["queue"], registers }),
    jobActive: new Gauge({ name: "agora_job_active", help: "Jobs being worked, by queue", labelNames: ["queue"], registers }),
    runQueueLatency: new Histogram({ name: "agora_run_queue_latency_seconds", help: "Run accepted → started by a worker (first attempt)", buckets: SECONDS, registers }),
    jobFailures: new Counter({ name: "agora_job_failures_total", help: "Jobs that failed (threw, or ran out of retries), by queue", labelNames: ["queue"], registers }),
    runsResumed: new Counter({ name: "agora_runs_resumed_total", help: "Runs resumed by a worker after the one executing them stopped", registers }),
    catalogSearchDuration: new Histogram({ name: "agora_catalog_search_duration_seconds", help: "Catalog search duration", buckets: SECONDS, registers }),
  };
}

export function metrics(): Metrics {
  globalForMetrics.agoraMetrics ??= create();
  return globalForMetrics.agoraMetrics;
}

const ID_SEGMENT = /^(?=.*\d)[a-z0-9_-]{16,}$|^[0-9a-f-]{32,36}$/i;

/** A request path as a low-cardinality label: ids become `[id]`. */
export function routeTemplate(pathname: string): string {
  return pathname
    .split("/")
    .map((s) => (ID_SEGMENT.test(s) ? "[id]" : s))
    .join("/");
}

export const breakerValue = { closed: 0, half_open: 1, open: 2 } as const;
