import { Redis } from "ioredis";
import pg from "pg";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";

// Cross-process signals, one listening connection per process: PostgreSQL
// LISTEN/NOTIFY by default, Redis pub/sub when REDIS_URL is set (NOTIFY takes a
// database-wide lock at every commit that sent one, which caps throughput at
// scale). `agora_run_events` (run id: new events were written) wakes SSE
// streams, whichever process executes the run — sent on PostgreSQL by a trigger
// on RunEvent at the writer's commit, only for a run that some process streams
// (its listening connection registers the run in "RunEventListener" while it
// has a stream open on it), and on Redis by the writer after its commit (the
// app's connections then switch the trigger off: lib/db/client.ts).
// `agora_workspace_events` (workspace id: its event feed has new events) wakes
// the workspace's live streams (GET /api/v1/events/stream): sent on PostgreSQL by
// the event sequencer at the writer's commit, only for a workspace some process
// streams ("WorkspaceEventListener", as above); with REDIS_URL set nothing sends
// it (events are written by triggers on many code paths) and those streams
// re-read on their timer. `agora_run_cancel` reaches the process executing a run. `agora_run_jobs` (a run
// queue's name) is sent by a process that accepted a run it does not execute
// itself (role `web`): the workers' dispatchers fetch at once instead of at their
// next poll. `agora_cache` (an invalidation, lib/cache/shared-cache.ts) drops
// entries of every process's caches. Signals are hints: streams also re-read the
// database on a short timer, executors see a cancel at their next lease renewal,
// workers poll, and a lost connection drops the caches (whose entries also
// expire), so a lost connection delays, never loses, anything.

export const EVENTS_CHANNEL = "agora_run_events";
export const WORKSPACE_EVENTS_CHANNEL = "agora_workspace_events";
export const CANCEL_CHANNEL = "agora_run_cancel";
export const JOBS_CHANNEL = "agora_run_jobs";
export const CACHE_CHANNEL = "agora_cache";
type Channel = typeof EVENTS_CHANNEL | typeof WORKSPACE_EVENTS_CHANNEL | typeof CANCEL_CHANNEL | typeof JOBS_CHANNEL | typeof CACHE_CHANNEL;

type Waiter = () => void;

export type RunEventSubscription = {
  /** Resolves true when notified that new events may exist; false after `timeoutMs` or on abort. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
};

/** What a stream watches: a run's events, or a workspace's event feed. */
export type WatchKind = "run" | "workspace";
const CHANNEL_OF: Record<WatchKind, Channel> = { run: EVENTS_CHANNEL, workspace: WORKSPACE_EVENTS_CHANNEL };

/** `payload`: a run id (a workspace id for WORKSPACE_EVENTS_CHANNEL), or for JOBS_CHANNEL a queue name, for CACHE_CHANNEL an invalidation. */
type Handlers = { deliver(channel: string, payload: string): void; lost(): void; watched(kind: WatchKind): string[] };

/** What a process's caches hear: an invalidation another process (or this one) sent, or that signals may have been missed. */
export type CacheSignalHandlers = { invalidate(payload: string): void; lost(): void };

interface Transport {
  /** Listens on every channel from now on; rejects when it cannot connect now (the next call tries again). */
  listen(): Promise<void>;
  publish(channel: Channel, payload: string): Promise<void>;
  /** Whether signals sent from now on reach this process (false while disconnected). */
  listening(): boolean;
  /** Asks for signals about a run (EVENTS_CHANNEL) or a workspace (WORKSPACE_EVENTS_CHANNEL) from now on / no longer; resolves once in force. */
  watch(kind: WatchKind, id: string): Promise<void>;
  unwatch(kind: WatchKind, id: string): Promise<void>;
  close(): Promise<void>;
}

// The runs (workspaces) a listening connection streams, by its backend pid: the RunEvent trigger
// (the event sequencer) NOTIFYs only for these.
const LISTENERS: Record<WatchKind, { table: string; column: string }> = {
  run: { table: "RunEventListener", column: "runId" },
  workspace: { table: "WorkspaceEventListener", column: "workspaceId" },
};
const WATCH = (k: WatchKind) => `INSERT INTO "${LISTENERS[k].table}" ("${LISTENERS[k].column}", "pid") SELECT unnest($1::text[]), pg_backend_pid() ON CONFLICT DO NOTHING`;
const UNWATCH = (k: WatchKind) => `DELETE FROM "${LISTENERS[k].table}" WHERE "pid" = pg_backend_pid() AND ($1::text IS NULL OR "${LISTENERS[k].column}" = $1)`;
// A process that died without closing left its rows: its connection's pid is no backend's any more.
const FORGET_DEAD = (k: WatchKind) => `DELETE FROM "${LISTENERS[k].table}" WHERE "pid" NOT IN (SELECT "pid" FROM pg_stat_activity)`;
const KINDS: WatchKind[] = ["run", "workspace"];

class PostgresTransport implements Transport {
  private client: pg.Client | undefined;
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly databaseUrl: string,
    private readonly on: Handlers,
  ) {}

  async listen() {
    if (this.client) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("notification", (n) => this.on.deliver(n.channel, n.payload ?? ""));
    client.on("error", (err) => {
      log.warn("run notifications connection lost", { err: err.message });
      this.client = undefined;
      client.end().catch(() => undefined);
      this.on.lost();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${WORKSPACE_EVENTS_CHANNEL}; LISTEN ${CANCEL_CHANNEL}; LISTEN ${JOBS_CHANNEL}; LISTEN ${CACHE_CHANNEL}`);
      for (const kind of KINDS) {
        await client.query(FORGET_DEAD(kind));
        await client.query(WATCH(kind), [this.on.watched(kind)]); // after a reconnect, the streams still open here
      }
      this.client = client;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  async publish(channel: Channel, payload: string) {
    if (channel === EVENTS_CHANNEL || channel === WORKSPACE_EVENTS_CHANNEL) return; // triggers send these, at the writer's commit
    await getDb().$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
  }

  listening() {
    return this.client !== undefined;
  }

  watch(kind: WatchKind, id: string) {
    return this.send(WATCH(kind), [[id]]); // not connected: the stream polls
  }

  unwatch(kind: WatchKind, id: string) {
    return this.send(UNWATCH(kind), [id]);
  }

  /** One statement at a time on the listening connection: streams open and close concurrently, and pg no longer queues a query behind another. */
  private send(text: string, values: unknown[]): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    const sent = this.sending.then(() => client.query(text, values));
    this.sending = sent.catch(() => undefined);
    return sent.then(() => undefined);
  }

  async close() {
    for (const kind of KINDS) await this.send(UNWATCH(kind), [null]).catch(() => undefined);
    await this.client?.end();
    this.client = undefined;
  }
}

/**
 * ioredis reconnects by itself and, once a SUBSCRIBE succeeded, subscribes again
 * after each reconnect; a subscribing connection can do nothing else, hence a
 * second one to publish on.
 */
class RedisTransport implements Transport {
  private subscriber: Redis | undefined;
  private publisher: Redis | undefined;

  constructor(
    private readonly url: string,
    private readonly on: Handlers,
  ) {}

  private connection(role: string) {
    // A command waits for at most one reconnect attempt: a signal that cannot go now is dropped, not queued.
    const redis = new Redis(this.url, { maxRetriesPerRequest: 1 });
    redis.on("error", (err: Error) => log.warn(`run notifications (redis ${role}) error`, { err: err.message }));
    return redis;
  }

  async listen() {
    if (this.subscriber) return;
    const subscriber = this.connection("subscriber");
    subscriber.on("message", (channel: string, payload: string) => this.on.deliver(channel, payload));
    subscriber.on("close", () => this.on.lost());
    this.subscriber = subscriber;
    try {
      await subscriber.subscribe(EVENTS_CHANNEL, WORKSPACE_EVENTS_CHANNEL, CANCEL_CHANNEL, JOBS_CHANNEL, CACHE_CHANNEL);
    } catch (err) {
      this.subscriber = undefined;
      subscriber.disconnect();
      throw err;
    }
  }

  async publish(channel: Channel, payload: string) {
    this.publisher ??= this.connection("publisher");
    await this.publisher.publish(channel, payload);
  }

  listening() {
    return this.subscriber?.status === "ready";
  }

  // Every writer publishes: Redis takes no lock for it.
  watch = () => Promise.resolve();
  unwatch = () => Promise.resolve();

  async close() {
    for (const redis of [this.subscriber, this.publisher]) redis?.disconnect();
    this.subscriber = this.publisher = undefined;
  }
}

export class RunNotifications {
  private readonly transport: Transport;
  private connecting: Promise<void> | undefined;
  /** By `${kind}:${id}` (the run or workspace watched). */
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Per watched run or workspace: its registration with the transport (settled once in force, or failed: then it polls). */
  private readonly watching = new Map<string, Promise<void>>();
  private readonly cancelHandlers = new Set<(runId: string) => void>();
  private readonly jobHandlers = new Set<(queue: string) => void>();
  private readonly cacheHandlers = new Set<CacheSignalHandlers>();

  constructor(opts: { redisUrl?: string; databaseUrl: string }) {
    const handlers: Handlers = { deliver: (channel, runId) => this.dispatch(channel, runId), lost: () => this.onLost(), watched: (kind) => [...this.waiters.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1)) };
    this.transport = opts.redisUrl ? new RedisTransport(opts.redisUrl, handlers) : new PostgresTransport(opts.databaseUrl, handlers);
  }

  private connect(): Promise<void> {
    this.connecting ??= this.transport.listen().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private dispatch(channel: string, payload: string) {
    const kind = (Object.keys(CHANNEL_OF) as WatchKind[]).find((k) => CHANNEL_OF[k] === channel);
    if (kind) {
      const set = this.waiters.get(`${kind}:${payload}`);
      if (set) for (const wake of [...set]) wake();
    } else if (channel === CANCEL_CHANNEL) {
      for (const handler of this.cancelHandlers) handler(payload);
    } else if (channel === JOBS_CHANNEL) {
      for (const handler of this.jobHandlers) handler(payload);
    } else if (channel === CACHE_CHANNEL) {
      for (const handler of this.cacheHandlers) handler.invalidate(payload);
    }
  }

  private onLost() {
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
    for (const handler of this.cacheHandlers) handler.lost();
  }

  /**
   * Watches a run's events. Subscribe before reading the database, so that an
   * insert between the read and the wait is not missed: `next()` returns at
   * once when a notification arrived since the previous call.
   */
  subscribe(runId: string): Promise<RunEventSubscription> {
    return this.watch("run", runId);
  }

  /** Watches a workspace's event feed (GET /api/v1/events/stream), as `subscribe` a run's events. */
  subscribeWorkspace(workspaceId: string): Promise<RunEventSubscription> {
    return this.watch("workspace", workspaceId);
  }

  private async watch(kind: WatchKind, id: string): Promise<RunEventSubscription> {
    const key = `${kind}:${id}`;
    await this.connect().catch((err: Error) => log.warn("run notifications unavailable; polling", { err: err.message }));
    let dirty = false;
    let wake: (() => void) | undefined;
    const waiter: Waiter = () => {
      dirty = true;
      wake?.();
    };
    let set = this.waiters.get(key);
    if (!set) {
      this.waiters.set(key, (set = new Set<Waiter>()));
      this.watching.set(key, this.transport.watch(kind, id).catch((err: Error) => log.warn(`${kind} stream not registered for signals; it polls`, { err: err.message, id })));
    }
    set.add(waiter);
    await this.watching.get(key);
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
        if (!set.size && this.waiters.get(key) === set) {
          this.waiters.delete(key);
          this.watching.delete(key);
          this.transport.unwatch(kind, id).catch((err: Error) => log.warn(`${kind} stream not unregistered; its events signal until this process reconnects`, { err: err.message, id }));
        }
        wake?.();
      },
    };
  }

  /** Calls `handler` when any process asks to cancel a run. */
  async onCancel(handler: (runId: string) => void): Promise<void> {
    this.cancelHandlers.add(handler);
    await this.connect();
  }

  /** Calls `handler` with a run queue's name when another process sent a job to it. */
  async onJobs(handler: (queue: string) => void): Promise<void> {
    this.jobHandlers.add(handler);
    await this.connect();
  }

  /** Gives `handlers` every cache invalidation from now on; rejects when not listening now (call again later). */
  async onCacheInvalidation(handlers: CacheSignalHandlers): Promise<void> {
    this.cacheHandlers.add(handlers);
    await this.connect();
  }

  /** Whether a signal sent now reaches this process. */
  listening(): boolean {
    return this.transport.listening();
  }

  /** Tells every process (this one included) to drop cached entries; when it cannot go, theirs expire by TTL. */
  async announceCacheInvalidation(payload: string): Promise<void> {
    await this.transport.publish(CACHE_CHANNEL, payload).catch((err: Error) => log.warn("cache invalidation signal not sent; other processes drop the entry at its TTL", { err: err.message }));
  }

  /** Tells the processes that work `queue` that a job was just sent to it (best effort: they also poll). */
  announceJob(queue: string): void {
    this.transport.publish(JOBS_CHANNEL, queue).catch((err: Error) => log.warn("run job signal not sent; workers find the job at their next poll", { err: err.message, queue }));
  }

  /** Wakes the streams of a run whose new events were just committed (on PostgreSQL the trigger already did). */
  announceEvents(runId: string): void {
    this.transport.publish(EVENTS_CHANNEL, runId).catch((err: Error) => log.warn("run event signal not sent; streams poll", { err: err.message, runId }));
  }

  /** Asks the process executing a run to stop it; if the signal cannot go, it stops at its next lease renewal. */
  async requestCancel(runId: string): Promise<void> {
    await this.transport.publish(CANCEL_CHANNEL, runId).catch((err: Error) => log.warn("cancel signal not sent; the run stops at its next lease renewal", { err: err.message, runId }));
  }

  /** Closes the connections (tests; a process that exits needs not). */
  close(): Promise<void> {
    return this.transport.close();
  }
}

const globalForNotifications = globalThis as unknown as { agoraRunNotifications?: RunNotifications };

export function runNotifications(): RunNotifications {
  globalForNotifications.agoraRunNotifications ??= new RunNotifications({ redisUrl: env().REDIS_URL, databaseUrl: env().DATABASE_URL });
  return globalForNotifications.agoraRunNotifications;
}
