import path from "node:path";
import { dropDatabase, ensureDatabase, freePort, resolveDataDir, startEmbeddedPostgres } from "../../lib/db/embedded";

/**
 * The test suites' PostgreSQL: the embedded server on `.data/test-postgres` (a
 * free port) and a fresh database named `<prefix>_<time>`, dropped by `stop()`.
 */
export async function startTestDatabase(prefix: string) {
  const { dataDir } = resolveDataDir(path.join(process.cwd(), ".data", "test-postgres"));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const database = `${prefix}_${Date.now()}_${process.pid}`;
  const adminUrl = server.urlFor("postgres");
  await ensureDatabase(adminUrl, database);
  return {
    url: server.urlFor(database),
    adminUrl,
    stop: async () => {
      await dropDatabase(adminUrl, database).catch(() => undefined);
      await server.stop();
    },
  };
}
