import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AnthropicProvider } from "@/lib/llm/anthropic-provider";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { defaultRetryPolicy } from "@/lib/llm/retry-policy";
import { log } from "@/lib/observability/log";
import { RunExecutor } from "./executor";
import { recoverOrphanedRuns } from "./recover-runs";
import { runNotifications } from "./run-notifications";

// The process's executor, configured from the environment, plus its background
// duties: recovery at start-up and every lease period, and cancel requests
// from other processes.

const globalForExecutor = globalThis as unknown as { agoraExecutor?: RunExecutor; agoraRecovery?: NodeJS.Timeout };

export function runExecutor(): RunExecutor {
  if (!globalForExecutor.agoraExecutor) {
    const e = env();
    const anthropic = e.ANTHROPIC_API_KEY
      ? new AnthropicProvider({ apiKey: e.ANTHROPIC_API_KEY, baseURL: e.ANTHROPIC_BASE_URL, timeoutMs: e.AGORA_RUN_TIMEOUT_MS })
      : null;
    globalForExecutor.agoraExecutor = new RunExecutor({
      db,
      anthropic,
      breaker: new CircuitBreaker("anthropic", { failureThreshold: e.AGORA_BREAKER_FAILURES, cooldownMs: e.AGORA_BREAKER_COOLDOWN_MS }),
      retryPolicy: { ...defaultRetryPolicy, maxRetries: e.AGORA_PROVIDER_MAX_RETRIES, baseDelayMs: e.AGORA_PROVIDER_RETRY_BASE_MS },
      timeoutMs: e.AGORA_RUN_TIMEOUT_MS,
      leaseMs: e.AGORA_RUN_LEASE_MS,
      maxTurns: e.AGORA_RUN_MAX_TURNS,
      concurrency: e.AGORA_RUN_CONCURRENCY,
    });
  }
  return globalForExecutor.agoraExecutor;
}

/** Stops the periodic recovery (graceful shutdown); cancel notifications end with the process. */
export async function stopRunWorker(): Promise<void> {
  if (globalForExecutor.agoraRecovery) clearInterval(globalForExecutor.agoraRecovery);
}

/** Called once per server process (instrumentation.ts). */
export async function startRunWorker(): Promise<void> {
  if (globalForExecutor.agoraRecovery) return;
  const executor = runExecutor();
  const recover = () => recoverOrphanedRuns(db).catch((err: Error) => log.error("run recovery failed", { err: err.message }));
  await recover();
  globalForExecutor.agoraRecovery = setInterval(recover, env().AGORA_RUN_LEASE_MS);
  globalForExecutor.agoraRecovery.unref();
  await runNotifications()
    .onCancel((runId) => executor.cancelLocal(runId))
    .catch((err: Error) => log.warn("cancel notifications unavailable; cancels apply at the next lease renewal", { err: err.message }));
}
