import { Redis } from "ioredis";
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { createPool } from "@/lib/db/pool";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";

// Where rate-limit counters live (SPEC §5): PostgreSQL (the RateLimit table,
// unlogged) by default, Redis when REDIS_URL is set — either way shared by every
// app instance. The counters themselves are rate-limiter-flexible's; this file
// only builds one limiter per window length. If the store fails, the library's
// insurance limiter (in memory, per process) decides meanwhile, so an outage of
// the store degrades limits to per-instance instead of failing requests.

export type Backend = "postgres" | "redis";

/** Counters never refuse on their own: the sliding-window decision is made above them (lib/rate-limits/sliding-window.ts). */
const UNBOUNDED = 1_000_000_000;

type Store = { backend: Backend; limiter(windowSeconds: number): RateLimiterAbstract; close(): Promise<void> };

const globalForStore = globalThis as unknown as { agoraRateLimitStore?: Store };

export function createStore(opts: { redisUrl?: string; databaseUrl: string }): Store {
  const limiters = new Map<number, RateLimiterAbstract>();
  let client: { kind: "redis"; redis: Redis } | { kind: "postgres"; pool: pg.Pool };
  if (opts.redisUrl) {
    const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
    redis.on("error", (err: Error) => log.warn("rate-limit store (redis) error", { err: err.message }));
    client = { kind: "redis", redis };
  } else {
    const pool = createPool({ connectionString: opts.databaseUrl, max: 4 }, "rate-limit store");
    client = { kind: "postgres", pool };
  }
  return {
    backend: client.kind,
    limiter(windowSeconds) {
      let limiter = limiters.get(windowSeconds);
      if (!limiter) {
        // A key lives two windows: the current one and, for the sliding estimate, the previous one.
        const common = { points: UNBOUNDED, duration: windowSeconds * 2, keyPrefix: `rl${windowSeconds}`, insuranceLimiter: new RateLimiterMemory({ points: UNBOUNDED, duration: windowSeconds * 2 }) };
        limiter =
          client.kind === "redis"
            ? new RateLimiterRedis({ ...common, storeClient: client.redis })
            : new RateLimiterPostgres({ ...common, storeClient: client.pool, storeType: "pool", tableName: "RateLimit", tableCreated: true, clearExpiredByTimeout: true });
        limiters.set(windowSeconds, limiter);
      }
      return limiter;
    },
    async close() {
      if (client.kind === "redis") client.redis.disconnect();
      else await client.pool.end();
    },
  };
}

/** The process-wide store, from the environment. */
export function rateLimitStore(): Store {
  globalForStore.agoraRateLimitStore ??= createStore({ redisUrl: env().REDIS_URL, databaseUrl: env().DATABASE_URL });
  return globalForStore.agoraRateLimitStore;
}
