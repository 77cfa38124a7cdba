import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";

// Graceful shutdown (issues 8, 17): on SIGTERM the process stops accepting runs
// (503 `shutting_down`; readiness turns 503 so a load balancer stops sending
// traffic) and claiming run jobs, lets the runs it executes finish for
// AGORA_SHUTDOWN_GRACE_MS, hands the rest back to the queue (another worker, or
// this one restarted, resumes them from their event logs), stops its job engine
// (background jobs under way end or go back to their queue), and exits 0.

/** What shutting down needs of the run worker: draining it. */
type Drainable = { drain(graceMs: number): Promise<{ finished: number; handedBack: number }> };

const state = globalThis as unknown as { agoraShuttingDown?: boolean; agoraShutdownInstalled?: boolean };

export const shuttingDown = () => Boolean(state.agoraShuttingDown);

export async function shutDown(opts: { executor: Drainable; graceMs: number; stopWorkers: () => Promise<void> }): Promise<void> {
  state.agoraShuttingDown = true;
  log.info("shutting down: new runs are refused", { graceMs: opts.graceMs });
  const { finished, handedBack } = await opts.executor.drain(opts.graceMs);
  await opts.stopWorkers();
  log.info("shut down", { runsFinished: finished, runsHandedBack: handedBack });
}

/** SIGTERM / SIGINT → shutDown → exit 0 (1 if shutting down itself failed). Installed once per process. */
export function installShutdownHandlers(executor: Drainable, stopWorkers: () => Promise<void>, graceMs = env().AGORA_SHUTDOWN_GRACE_MS): void {
  if (state.agoraShutdownInstalled) return;
  state.agoraShutdownInstalled = true;
  const onSignal = (signal: string) => {
    if (state.agoraShuttingDown) return;
    log.info("signal received", { signal });
    shutDown({ executor, graceMs, stopWorkers }).then(
      () => process.exit(0),
      (err: Error) => {
        log.error("shutdown failed", { err: err.message });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
}
