import pg from "pg";

// What a database executed, from PostgreSQL's own counters: statements from
// pg_stat_statements (its server must preload the library), transactions from
// pg_stat_database. Backends publish their transaction counts when idle, up to
// ~10 s late (PGSTAT_IDLE_INTERVAL), so a reading waits that long first.

const STATS_FLUSH_MS = 11_000;
// Transaction control is counted as transactions, not statements; the bench's own readings are neither. Nor are
// statements the server runs by itself, which pg_stat_statements lists as top-level when they run at a commit:
// trigger bodies (they name NEW or OLD) and foreign-key checks (SELECT … FOR KEY SHARE OF x).
const counted = String.raw`query !~* '^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE)\b' AND query NOT LIKE '%pg_stat_%'
  AND query !~ '\m(NEW|OLD)\.' AND query !~ 'FOR KEY SHARE OF x\s*$'`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sqlCounters(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ shared_preload_libraries: string }>("SHOW shared_preload_libraries");
  if (!rows[0]!.shared_preload_libraries.includes("pg_stat_statements")) {
    throw new Error("This PostgreSQL does not preload pg_stat_statements: a server was already running on the bench's data directory; stop it and run again.");
  }
  await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  const transactions = async () =>
    Number((await client.query<{ n: string }>("SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()")).rows[0]!.n);
  // The transactions counted at the last reading, already flushed: the next start needs no wait.
  let flushed: number | undefined;
  let started = { at: 0, transactions: 0 };
  return {
    /** Starts counting: statements from zero, transactions from what was already published. */
    async start(): Promise<void> {
      if (flushed === undefined) {
        await sleep(STATS_FLUSH_MS);
        flushed = await transactions();
      }
      await client.query("SELECT pg_stat_statements_reset()");
      started = { at: performance.now(), transactions: flushed };
    },
    /**
     * Since start: statements (read at once: pg_stat_statements counts a statement as it ends) and
     * transactions (after the flush delay), with the seconds each count spans.
     */
    async read(): Promise<{ statements: number; statementSeconds: number; transactions: number; transactionSeconds: number }> {
      const { rows: s } = await client.query<{ n: string | null }>(
        `SELECT sum(calls) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ${counted}`,
      );
      const statementSeconds = (performance.now() - started.at) / 1000;
      await sleep(STATS_FLUSH_MS);
      flushed = await transactions();
      return { statements: Number(s[0]!.n ?? 0), statementSeconds, transactions: flushed - started.transactions, transactionSeconds: (performance.now() - started.at) / 1000 };
    },
    /** The `limit` statements called most since start: calls, total ms and the text's start (BENCH_TOP_STATEMENTS). */
    async top(limit: number): Promise<{ calls: number; ms: number; query: string }[]> {
      const { rows } = await client.query<{ calls: string; ms: number; query: string }>(
        `SELECT sum(calls) AS calls, sum(total_exec_time + total_plan_time) AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ${counted}
         GROUP BY 3 ORDER BY 1 DESC LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({ calls: Number(r.calls), ms: Number(r.ms), query: r.query }));
    },
    close: () => client.end(),
  };
}
