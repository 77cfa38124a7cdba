import path from "node:path";
import { ensureDatabase, resolveDataDir, startEmbeddedPostgres, type EmbeddedServer } from "./embedded";

export const DEV_DATABASE = "agora";
export const DEV_PG_PORT = 54329;

/** Where local state lives: `.data/` in the checkout, or AGORA_DATA_DIR. */
export const localDataDir = (env: Record<string, string | undefined>) =>
  path.resolve(env.AGORA_DATA_DIR ?? path.join(process.cwd(), ".data"));

/**
 * The database `npm run dev` / `npm start` use: DATABASE_URL when set (nothing is
 * started), otherwise the embedded PostgreSQL with its data under `.data/postgres`.
 */
export async function localDatabase(env: Record<string, string | undefined>, log: (l: string) => void) {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, server: null as EmbeddedServer | null, note: "" };
  const { dataDir, relocated } = resolveDataDir(path.join(localDataDir(env), "postgres"));
  const server = await startEmbeddedPostgres({ dataDir, port: Number(env.AGORA_PG_PORT ?? DEV_PG_PORT), log });
  await ensureDatabase(server.urlFor("postgres"), DEV_DATABASE);
  const note = relocated
    ? `data in ${dataDir} (the checkout is not reachable by the postgres user)`
    : `data in ${path.relative(process.cwd(), dataDir)}`;
  return { url: server.urlFor(DEV_DATABASE), server, note: `${server.reused ? "reused running" : "embedded"} PostgreSQL, ${note}` };
}
