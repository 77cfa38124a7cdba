import { ProviderError } from "./provider";

// The one retry policy for model calls (the SDK's own retries are off):
// exponential backoff with full jitter, at least the provider's retry-after.

export type RetryPolicy = { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
export const defaultRetryPolicy: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 20_000 };

/** Full jitter: uniform in [0, min(cap, base·2^attempt)], never below retry-after. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(random() * ceiling);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** Runs `call`, retrying transient ProviderErrors; `onRetry` sees each retry (for the run's event log). */
export async function withRetries<T>(
  call: () => Promise<T>,
  opts: { policy?: RetryPolicy; signal?: AbortSignal; onRetry?: (attempt: number, delayMs: number, err: ProviderError) => void; random?: () => number } = {},
): Promise<T> {
  const policy = opts.policy ?? defaultRetryPolicy;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.transient || attempt >= policy.maxRetries || opts.signal?.aborted) throw err;
      const delay = backoffDelay(policy, attempt, err.opts.retryAfterMs, opts.random);
      opts.onRetry?.(attempt + 1, delay, err);
      await abortableSleep(delay, opts.signal);
    }
  }
}
