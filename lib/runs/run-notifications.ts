import pg from "pg";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";

// Cross-process signals over PostgreSQL LISTEN/NOTIFY, one connection per
// process. `agora_run_events` (sent by a trigger on every RunEvent insert) wakes
// SSE streams, whichever process executes the run; `agora_run_cancel` reaches
// the process executing a run. Notifications are hints: streams also re-read
// the database on a short timer, so a lost connection delays, never loses, events.

export const EVENTS_CHANNEL = "agora_run_events";
export const CANCEL_CHANNEL = "agora_run_cancel";

type Waiter = () => void;

export type RunEventSubscription = {
  /** Resolves true when notified that new events may exist; false after `timeoutMs` or on abort. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
};

class RunNotifications {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly cancelHandlers = new Set<(runId: string) => void>();

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: env().DATABASE_URL });
      client.on("notification", (n) => this.dispatch(n.channel, n.payload ?? ""));
      client.on("error", (err) => {
        log.warn("run notifications connection lost", { err: err.message });
        this.client = undefined;
        client.end().catch(() => undefined);
        this.wakeAll();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${CANCEL_CHANNEL}`);
        this.client = client;
      } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private dispatch(channel: string, runId: string) {
    if (channel === EVENTS_CHANNEL) {
      const set = this.waiters.get(runId);
      if (set) for (const wake of [...set]) wake();
    } else if (channel === CANCEL_CHANNEL) {
      for (const handler of this.cancelHandlers) handler(runId);
    }
  }

  private wakeAll() {
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
  }

  /**
   * Watches a run's events. Subscribe before reading the database, so that an
   * insert between the read and the wait is not missed: `next()` returns at
   * once when a notification arrived since the previous call.
   */
  async subscribe(runId: string): Promise<RunEventSubscription> {
    await this.connect().catch((err: Error) => log.warn("run notifications unavailable; polling", { err: err.message }));
    let dirty = false;
    let wake: (() => void) | undefined;
    const waiter: Waiter = () => {
      dirty = true;
      wake?.();
    };
    const set = this.waiters.get(runId) ?? new Set<Waiter>();
    this.waiters.set(runId, set);
    set.add(waiter);
    return {
      next: (timeoutMs, signal) =>
        new Promise<boolean>((resolve) => {
          if (dirty || signal?.aborted) {
            resolve(dirty);
            dirty = false;
            return;
          }
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            wake = undefined;
            resolve(dirty);
            dirty = false;
          };
          const timer = setTimeout(done, timeoutMs);
          signal?.addEventListener("abort", done, { once: true });
          wake = done;
        }),
      close: () => {
        set.delete(waiter);
        if (!set.size) this.waiters.delete(runId);
        wake?.();
      },
    };
  }

  /** Calls `handler` when any process asks to cancel a run. */
  async onCancel(handler: (runId: string) => void): Promise<void> {
    this.cancelHandlers.add(handler);
    await this.connect();
  }
}

const globalForNotifications = globalThis as unknown as { agoraRunNotifications?: RunNotifications };

export function runNotifications(): RunNotifications {
  globalForNotifications.agoraRunNotifications ??= new RunNotifications();
  return globalForNotifications.agoraRunNotifications;
}
