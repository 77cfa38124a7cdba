import pg from "pg";
import { log } from "@/lib/observability/log";

/**
 * A pg pool whose every connection always has an 'error' listener. pg emits
 * 'error' on a client that PostgreSQL drops (a restart: 57P01) while no query is
 * running on it; pg-pool listens only while the client is idle, so a client that
 * was checked out between two queries had none, and the unhandled event killed
 * the process (found by the chaos test under CPU contention). The failure itself
 * reaches whoever uses the client next, as an error of its query.
 */
export function createPool(config: pg.PoolConfig, label: string): pg.Pool {
  const pool = new pg.Pool(config);
  const lost = (err: Error) => log.warn(`${label}: database connection lost`, { err: err.message });
  pool.on("error", lost); // an idle client
  pool.on("connect", (client) => client.on("error", lost)); // any client, checked out or not
  return pool;
}
