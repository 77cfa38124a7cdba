// Next.js calls register() once when a server process starts, and serves nothing
// before it returns: with AGORA_MIGRATE_ON_START (the Docker image), apply pending
// migrations and the seed first (lib/db/prepare-database.ts); then start the job
// engine (pg-boss) and, unless AGORA_ROLE=web, the run worker (claiming run jobs,
// recovery, cross-process cancels) and the background jobs (lib/jobs/registry.ts); with NEXT_MANUAL_SIG_HANDLE (set by `npm
// start`), SIGTERM shuts the process down gracefully (lib/runs/shutdown.ts).
// The tokenizer's table is loaded up front. Node runtime only. Before all that,
// every request's socket address is recorded for lib/http/client-ip.ts and
// TRACE is refused (lib/http/server-guards.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installServerGuards } = await import("@/lib/http/server-guards");
    installServerGuards();
    // Traces first, so everything after is traced (OTEL_EXPORTER_OTLP_ENDPOINT unset: nothing happens).
    const { startTracing } = await import("@/lib/observability/tracing");
    startTracing();
    const { env } = await import("@/lib/env");
    if (env().AGORA_MIGRATE_ON_START) {
      const { prepareDatabase } = await import("@/lib/db/prepare-database");
      const { log } = await import("@/lib/observability/log");
      try {
        const { applied } = await prepareDatabase(env().DATABASE_URL);
        log.info("database prepared", { appliedMigrations: applied });
      } catch (err) {
        // Never serve on a database we could not prepare: exit, and let the orchestrator restart us.
        log.error("could not prepare the database; exiting", { err: (err as Error).message });
        process.exit(1);
      }
    }
    // The tokenizer's table is read now, not on the event loop of the first request that counts tokens.
    const { loadTokenizer } = await import("@/lib/llm/count-tokens");
    loadTokenizer();
    const { drainRunWorker, startRunWorker, stopRunWorker } = await import("@/lib/runs/run-executor-instance");
    await startRunWorker();
    if (process.env.NEXT_MANUAL_SIG_HANDLE) {
      const { installShutdownHandlers } = await import("@/lib/runs/shutdown");
      installShutdownHandlers({ drain: drainRunWorker }, stopRunWorker);
    }
  }
}
