import pg from "pg";
import { env } from "@/lib/env";
import { appPool, statementName } from "./client";

// Plain SQL through `pg`, for the run path (issue 18): accepting, claiming and
// finishing a run are a few data-modifying statements each, and Prisma's
// interactive transactions cost several times the CPU of the same statements
// sent directly. The rest of the app stays on Prisma; both share one pool
// (lib/db/client.ts). Statements are prepared (named) like Prisma's, and rows
// come back typed: BIGINT as bigint (money is bigint micro-USD), timestamps as
// Date (Prisma's columns hold UTC), json as parsed values.

const INT8 = 20;
const TIMESTAMP = 1114;
const parsers = new Map<number, (v: string) => unknown>([
  [INT8, (v) => BigInt(v)],
  // Prisma stores DateTime as timestamp(3) without time zone, in UTC; pg would read it in the process's zone.
  [TIMESTAMP, (v) => new Date(`${v.replace(" ", "T")}Z`)],
]);
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => parsers.get(oid) ?? pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

/** A connection (the pool, or one client inside a transaction) that runs typed statements. */
export type Sql = {
  /** The rows `text` returns; `values` are its $1, $2… parameters. */
  query<R extends object>(text: string, values?: readonly unknown[]): Promise<R[]>;
};

function statement(text: string, values: readonly unknown[]): pg.QueryConfig {
  // Our statements are built with a fixed shape (lib/db/statement.ts: arrays travel as one jsonb or array parameter), so any parameter count is named.
  const name = env().AGORA_DB_PREPARED_STATEMENTS === "on" ? statementName(text) : "";
  return { text, values: values as unknown[], types, ...(name ? { name } : {}) };
}

const on = (client: pg.Pool | pg.PoolClient): Sql => ({
  query: async <R extends object>(text: string, values: readonly unknown[] = []) => (await client.query<R>(statement(text, values))).rows,
});

/** Autocommit statements on the app's pool (one statement is one transaction). */
export const sql: Sql = {
  query: (text, values) => on(appPool()).query(text, values),
};

/**
 * Runs `fn` in one transaction on one connection: BEGIN, `fn`'s statements,
 * COMMIT — or ROLLBACK when `fn` throws (its error is rethrown). A connection
 * whose ROLLBACK failed is discarded, not returned to the pool.
 */
export async function sqlTransaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
  const client = await appPool().connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(on(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}
