import { ProviderError } from "./provider";

// Per-provider circuit breaker: closed → (N consecutive transient failures) →
// open (fail fast) → (after cooldown) half-open: one trial call decides.
// State is per process; each app instance protects itself.

export type BreakerState = "closed" | "open" | "half_open";

export class CircuitBreaker {
  private state: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    readonly provider: string,
    private readonly opts: { failureThreshold: number; cooldownMs: number; now?: () => number } = { failureThreshold: 5, cooldownMs: 30_000 },
  ) {}

  private now() {
    return (this.opts.now ?? Date.now)();
  }

  current(): BreakerState {
    if (this.state === "open" && this.now() - this.openedAt >= this.opts.cooldownMs) this.state = "half_open";
    return this.state;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.current();
    if (state === "open" || (state === "half_open" && this.trialInFlight)) {
      throw new ProviderError(`The ${this.provider} provider is unavailable; calls are paused while it recovers.`, { transient: false, code: "provider_unavailable" });
    }
    if (state === "half_open") this.trialInFlight = true;
    try {
      const result = await call();
      this.state = "closed";
      this.failures = 0;
      return result;
    } catch (err) {
      // Only failures that say the provider is unhealthy count; a bad request does not.
      if (err instanceof ProviderError && err.transient) {
        this.failures++;
        if (state === "half_open" || this.failures >= this.opts.failureThreshold) {
          this.state = "open";
          this.openedAt = this.now();
        }
      }
      throw err;
    } finally {
      if (state === "half_open") this.trialInFlight = false;
    }
  }
}
