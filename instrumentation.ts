// Next.js calls register() once when a server process starts: begin the run
// worker (recovery of orphaned runs, cross-process cancels) and, with Stripe
// configured, the Outbox worker. Node runtime only.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startRunWorker } = await import("@/lib/runs/run-executor-instance");
    await startRunWorker();
    const { startOutboxWorker } = await import("@/lib/billing/outbox-worker");
    startOutboxWorker();
  }
}
