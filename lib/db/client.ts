import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { createPool } from "./pool";

export type Db = PrismaClient;
/** A transaction client or the root client: the shape `lib/` functions take. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { agoraDb?: PrismaClient };

function createClient(): PrismaClient {
  const e = env();
  return new PrismaClient({
    // With REDIS_URL set, run-event signals go through Redis (lib/runs/run-notifications.ts), so the
    // app's connections switch off the RunEvent trigger's NOTIFY (a database-wide lock at each commit).
    adapter: new PrismaPg(createPool({ connectionString: e.DATABASE_URL, max: e.AGORA_DB_POOL_MAX, options: e.REDIS_URL ? "-c agora.notify_run_events=off" : undefined }, "prisma"), {
      disposeExternalPool: true,
    }),
    transactionOptions: { maxWait: e.AGORA_DB_TX_MAX_WAIT_MS, timeout: e.AGORA_DB_TX_TIMEOUT_MS },
  });
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
