import { log } from "@/lib/observability/log";
import { runNotifications, type CacheSignalHandlers } from "@/lib/runs/run-notifications";

// Per-process caches of reads every request makes but that rarely change (API key
// → principal, a slug's published package, the model price list). An entry lives
// until it is invalidated — by key or by tag — or for at most its TTL, a safety
// net for a signal that never came. A writer calls `invalidate` after its commit:
// this process drops the entries at once, before the writer's request returns,
// and the invalidation goes to every process over the run-notification transport
// (channel `agora_cache`: PostgreSQL NOTIFY, or Redis pub/sub with REDIS_URL),
// which drops them when it arrives. So the writer's own process never reads a
// stale entry, and another one for at most the signal's latency (milliseconds;
// the TTL when the signal could not be sent). A process stores nothing while it
// is not listening and drops everything when its listening connection is lost;
// a value loaded while an invalidation arrived is returned but not stored.
// A cache made with `staleMs` serves an entry past its TTL for that much longer,
// reloading it in the background (once at a time): a request waits for a load
// only when there is no entry at all (never invalidated ones: those are gone).

/** The transport the caches of a process share (a RunNotifications). */
export type CacheSignals = {
  onCacheInvalidation(handlers: CacheSignalHandlers): Promise<void>;
  listening(): boolean;
  announceCacheInvalidation(payload: string): Promise<void>;
};

export type Invalidation = { keys?: string[]; tags?: string[] };
type Signal = Invalidation & { cache: string };
type Entry<V> = { value: V; expiresAt: number; tags: string[]; reloading?: boolean };
type CacheOptions = { ttlMs: number; maxEntries: number; staleMs?: number };

/** After a failed attempt to listen, the next one waits this long (meanwhile reads go to the database). */
const RETRY_LISTEN_MS = 5_000;

export class SharedCache<V> {
  private readonly entries = new Map<string, Entry<V>>(); // oldest use first
  private readonly byTag = new Map<string, Set<string>>();
  /** Bumped by every drop: a load that straddles one must not store what it read. */
  private generation = 0;

  constructor(
    private readonly name: string,
    private readonly opts: CacheOptions,
    private readonly group: CacheGroup,
  ) {}

  /** The cached value, or `load()`'s (stored with `tagsOf` it, when no invalidation happened meanwhile). */
  async get(key: string, load: () => Promise<V>, tagsOf: (value: V) => string[] = () => []): Promise<V> {
    const hit = this.entries.get(key);
    const now = this.group.now();
    if (hit && hit.expiresAt + (this.opts.staleMs ?? 0) > now) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      if (hit.expiresAt <= now && !hit.reloading) {
        hit.reloading = true;
        this.load(key, load, tagsOf)
          .catch((err: unknown) => log.warn("a stale cache entry could not be reloaded; it is served until its stale window ends", { cache: this.name, err: (err as Error).message }))
          .finally(() => (hit.reloading = false));
      }
      return hit.value;
    }
    return this.load(key, load, tagsOf);
  }

  private async load(key: string, load: () => Promise<V>, tagsOf: (value: V) => string[]): Promise<V> {
    const listening = await this.group.listen();
    const generation = this.generation;
    const value = await load();
    if (listening && generation === this.generation) this.store(key, { value, expiresAt: this.group.now() + this.opts.ttlMs, tags: tagsOf(value) });
    return value;
  }

  /** Drops the entries here at once and in every other process when the signal arrives; call it after the change committed. */
  invalidate(what: Invalidation): Promise<void> {
    return this.group.invalidate({ cache: this.name, ...what });
  }

  /** Drops entries by key and by tag in this process only. */
  drop({ keys = [], tags = [] }: Invalidation): void {
    this.generation++;
    for (const key of keys) this.remove(key);
    for (const tag of tags) for (const key of [...(this.byTag.get(tag) ?? [])]) this.remove(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byTag.clear();
  }

  private store(key: string, entry: Entry<V>) {
    this.remove(key);
    const oldest = this.entries.size >= this.opts.maxEntries ? this.entries.keys().next() : undefined;
    if (oldest && !oldest.done) this.remove(oldest.value);
    this.entries.set(key, entry);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag) ?? new Set<string>();
      this.byTag.set(tag, keys.add(key));
    }
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys && !keys.size) this.byTag.delete(tag);
    }
  }
}

/** A process's caches, sharing one listening connection (a second group stands for another process in tests). */
export class CacheGroup {
  private readonly caches = new Map<string, SharedCache<unknown>>();
  private readonly handlers: CacheSignalHandlers = { invalidate: (payload) => this.receive(payload), lost: () => this.clear() };
  private listenAttempt: Promise<void> | undefined;
  private lastFailure = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly signals: () => CacheSignals,
    readonly now: () => number = Date.now,
  ) {}

  /** The group's cache called `name` (created on first use with `opts`). */
  cache<V>(name: string, opts: CacheOptions): SharedCache<V> {
    let cache = this.caches.get(name);
    if (!cache) this.caches.set(name, (cache = new SharedCache<unknown>(name, opts, this)));
    return cache as SharedCache<V>;
  }

  /** Starts listening for invalidations when not yet (or no longer) listening; whether it now is. */
  async listen(): Promise<boolean> {
    const signals = this.signals();
    if (signals.listening()) return true;
    if (!this.listenAttempt && this.now() - this.lastFailure >= RETRY_LISTEN_MS) {
      this.listenAttempt = signals
        .onCacheInvalidation(this.handlers)
        .catch((err: Error) => {
          this.lastFailure = this.now();
          log.warn("cache invalidations unavailable; reading through to the database", { err: err.message });
        })
        .finally(() => (this.listenAttempt = undefined));
    }
    await this.listenAttempt;
    return signals.listening();
  }

  async invalidate(signal: Signal): Promise<void> {
    this.caches.get(signal.cache)?.drop(signal);
    await this.signals().announceCacheInvalidation(JSON.stringify(signal));
  }

  private receive(payload: string) {
    try {
      const signal = JSON.parse(payload) as Signal;
      this.caches.get(signal.cache)?.drop(signal);
    } catch {
      log.warn("malformed cache invalidation ignored", { payload });
    }
  }

  /** Drops every entry (the listening connection was lost: invalidations may have been missed). */
  clear(): void {
    for (const cache of this.caches.values()) cache.clear();
  }
}

const globalForCaches = globalThis as unknown as { agoraCaches?: CacheGroup };

/** This process's caches, invalidated across processes over runNotifications(). */
export function sharedCaches(): CacheGroup {
  globalForCaches.agoraCaches ??= new CacheGroup(runNotifications);
  return globalForCaches.agoraCaches;
}
