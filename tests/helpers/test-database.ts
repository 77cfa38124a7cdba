import path from "node:path";
import { dropDatabase, ensureDatabase, freePort, resolveDataDir, startEmbeddedPostgres } from "../../lib/db/embedded";

/**
 * The test suites' PostgreSQL: the embedded server on `.data/test-postgres` (a
 * free port) and a fresh database named `<prefix>_<time>`, dropped by `stop()`.
 * A caller that needs server flags (bench/run-overhead.ts: pg_stat_statements)
 * gives a data directory of its own, so that its flags are not lost to a server
 * already running on the shared one.
 */
export async function startTestDatabase(prefix: string, opts: { dataDir?: string; postgresFlags?: string[] } = {}) {
  const { dataDir } = resolveDataDir(opts.dataDir ?? path.join(process.cwd(), ".data", "test-postgres"));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), postgresFlags: opts.postgresFlags });
  const database = `${prefix}_${Date.now()}_${process.pid}`;
  const adminUrl = server.urlFor("postgres");
  await ensureDatabase(adminUrl, database);
  return {
    url: server.urlFor(database),
    adminUrl,
    dataDir,
    stop: async () => {
      await dropDatabase(adminUrl, database).catch(() => undefined);
      await server.stop();
    },
  };
}
