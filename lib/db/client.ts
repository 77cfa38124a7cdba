import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { createPool } from "./pool";

export type Db = PrismaClient;
/** A transaction client or the root client: the shape `lib/` functions take. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { agoraDb?: PrismaClient; agoraPool?: pg.Pool; agoraStatementNames?: Map<string, string> };

/**
 * The process's connection pool: Prisma's (through its adapter) and the run path's plain SQL
 * (lib/db/sql.ts) share it, so AGORA_DB_POOL_MAX bounds the app's connections.
 */
export function appPool(): pg.Pool {
  const e = env();
  // With REDIS_URL set, run-event signals go through Redis (lib/runs/run-notifications.ts), so the
  // app's connections switch off the RunEvent trigger's NOTIFY (a database-wide lock at each commit).
  globalForDb.agoraPool ??= createPool({ connectionString: e.DATABASE_URL, max: e.AGORA_DB_POOL_MAX, options: e.REDIS_URL ? "-c agora.notify_run_events=off" : undefined }, "app");
  return globalForDb.agoraPool;
}

function createClient(): PrismaClient {
  const e = env();
  return new PrismaClient({
    adapter: new PrismaPg(appPool(), {
      disposeExternalPool: true,
      ...(e.AGORA_DB_PREPARED_STATEMENTS === "on" ? { statementNameGenerator: preparedStatementName } : {}),
    }),
    transactionOptions: { maxWait: e.AGORA_DB_TX_MAX_WAIT_MS, timeout: e.AGORA_DB_TX_TIMEOUT_MS },
  });
}

// Prepared statements: PostgreSQL plans a statement again every time it is sent as plain text, and
// planning was about 45 % of the database's time per statement on the run path (pg_stat_statements,
// bench/run-overhead). A named statement is parsed and planned once per connection, then reused.
// Query shapes are few (they come from our code), but a statement whose text grows with its input —
// a createMany of N rows, an IN list — would prepare a new statement per N: those (many parameters)
// and anything past the cap stay unnamed ("" — pg sends an unnamed statement).
const MAX_PREPARED = 1_000;
const MAX_PREPARED_PARAMETERS = 32;
// One map per process, not per module copy: a production build bundles this module into several
// chunks, and two copies numbering statements on the one shared pool would give two texts one name.
const preparedNames = (globalForDb.agoraStatementNames ??= new Map<string, string>());

/**
 * Marks a statement whose best plan depends on its parameters' values — a search word's selectivity
 * decides between a GIN bitmap scan of a few matches and an index's order with an early stop — so it
 * stays unnamed and is planned for each call's values. Named, PostgreSQL switches to one generic plan
 * after five calls (the catalog's searches took twice as long with it: bench/catalog).
 */
export const PLAN_PER_CALL = "/* agora: plan per call */";

export function preparedStatementName(query: { sql: string; args: unknown[] }): string {
  return query.args.length > MAX_PREPARED_PARAMETERS || query.sql.includes(PLAN_PER_CALL) ? "" : statementName(query.sql);
}

/**
 * The name of a statement whose text has a fixed shape whatever its input (the run path's own SQL,
 * lib/db/sql.ts: a run's finish has ~60 parameters, but a handful of texts), or "" past the cap.
 */
export function statementName(sql: string): string {
  let name = preparedNames.get(sql);
  if (name === undefined) {
    if (preparedNames.size >= MAX_PREPARED) return "";
    name = `agora_${preparedNames.size.toString(36)}`;
    preparedNames.set(sql, name);
  }
  return name;
}

/** The process-wide Prisma client, created on first use (dev hot reload keeps one). */
export function getDb(): PrismaClient {
  globalForDb.agoraDb ??= createClient();
  return globalForDb.agoraDb;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = getDb();
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
