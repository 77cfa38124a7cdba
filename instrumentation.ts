// Next.js calls register() once when a server process starts: begin the run
// worker (recovery of orphaned runs, cross-process cancels) and, with Stripe
// configured, the Outbox worker; with NEXT_MANUAL_SIG_HANDLE (set by `npm
// start`), SIGTERM shuts the process down gracefully (lib/runs/shutdown.ts).
// Node runtime only.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Traces first, so everything after is traced (OTEL_EXPORTER_OTLP_ENDPOINT unset: nothing happens).
    const { startTracing } = await import("@/lib/observability/tracing");
    startTracing();
    const { runExecutor, startRunWorker, stopRunWorker } = await import("@/lib/runs/run-executor-instance");
    await startRunWorker();
    const { startOutboxWorker, stopOutboxWorker } = await import("@/lib/billing/outbox-worker");
    startOutboxWorker();
    if (process.env.NEXT_MANUAL_SIG_HANDLE) {
      const { installShutdownHandlers } = await import("@/lib/runs/shutdown");
      installShutdownHandlers(runExecutor(), async () => {
        await stopRunWorker();
        await stopOutboxWorker();
      });
    }
  }
}
